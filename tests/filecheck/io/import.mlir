// Importing the NIR paper corpus (`%corpus`, .nir files written by the reference
// package and by norse, sinabs, rockpool): ops, parameters, inferred shapes, warnings
// for legacy files, and the error for a malformed one.

// --- lif_norse: Input -> Affine -> LIF -> Output, NIR < 1.0 (no v_reset).
// RUN: nir-translate --import-nir %corpus/lif_norse.nir | filecheck %s --check-prefix=LIF --match-full-lines
// RUN: nir-opt %corpus/lif_norse.nir | filecheck %s --check-prefix=LIF --match-full-lines
// LIF:      builtin.module {
// LIF-NEXT:   nir.graph {
// LIF-NEXT:     %input = nir.input "input" {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// LIF-NEXT:     %n0 = nir.affine "0"(%input) {weight = #nir.dense<1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>} : tensor<1xf32> -> tensor<1xf32>
// LIF-NEXT:     %n1 = nir.lif "1"(%n0) {tau = #nir.dense<1xf32: [0.0025]>, r = #nir.dense<1xf32: [1.0]>, v_leak = #nir.dense<1xf32: [0.0]>, v_threshold = #nir.dense<1xf32: [0.1]>, v_reset = #nir.dense<1xf32: [0.0]>} : tensor<1xf32> -> tensor<1xf32>
// LIF-NEXT:     nir.output "output"(%n1) {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// LIF-NEXT:   }
// LIF-NEXT: }
// LIF-NOT: {{.}}

// The missing v_reset is a warning on stderr, one line naming file and node.
// RUN: nir-translate --import-nir %corpus/lif_norse.nir -o %t.lif.mlir 2>&1 | filecheck %s --check-prefix=LIF-WARN --match-full-lines
// LIF-WARN:     nir-translate: warning: {{.*}}lif_norse.nir: node '1': no v_reset (NIR < 1.0 file); using 0
// LIF-WARN-NOT: {{.}}

// --- lif_rockpool: the Output's declared shape [1, 1, 1] is repaired to its input's [1].
// RUN: nir-translate --import-nir %corpus/lif_rockpool.nir 2>&1 | filecheck %s --check-prefix=ROCK
// ROCK:      nir-translate: warning: {{.*}}lif_rockpool.nir: node '1_LIFNeuronTorch': no v_reset (NIR < 1.0 file); using 0
// ROCK-NEXT: nir-translate: warning: {{.*}}lif_rockpool.nir: node 'output': Output shape [1, 1, 1] disagrees with its input [1]; using [1]
// ROCK:      %n0_LinearTorch = nir.linear "0_LinearTorch"(%input) {weight = #nir.dense<1x1xf32: [0.04]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<1xf32> -> tensor<1xf32>
// ROCK-NEXT: %n1_LIFNeuronTorch = nir.lif "1_LIFNeuronTorch"(%n0_LinearTorch) {tau = #nir.dense<1xf32: [0.0025]>, r = #nir.dense<1xf32: [24.019737]>, v_leak = #nir.dense<1xf32: [0.0]>, v_threshold = #nir.dense<1xf32: [0.1]>, v_reset = #nir.dense<1xf32: [0.0]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<1xf32> -> tensor<1xf32>
// ROCK-NEXT: nir.output "output"(%n1_LIFNeuronTorch) {shape = #nir.dense<1xi64: [1]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<1xf32>

// --- two_lif_neurons: f64 parameters keep their dtype; signals are f32 tensors. Its edges are
// listed in topological order, not nirc's (by destination name), so each node keeps its edge_ids.
// RUN: nir-translate --import-nir %corpus/two_lif_neurons.nir | filecheck %s --check-prefix=TWO
// TWO:      %in = nir.input "in" {shape = #nir.dense<1xi64: [1]>} : tensor<1xf32>
// TWO-NEXT: %linear1 = nir.linear "linear1"(%in) {weight = #nir.dense<1x1xf64: [1.0]>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<1xf32> -> tensor<1xf32>
// TWO-NEXT: %lif1 = nir.lif "lif1"(%linear1) {tau = #nir.dense<1xf64: [0.01]>, r = #nir.dense<1xf64: [1.0]>, v_leak = #nir.dense<1xf64: [1.2]>, v_threshold = #nir.dense<1xf64: [1.0]>, v_reset = #nir.dense<1xf64: [0.0]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<1xf32> -> tensor<1xf32>
// TWO-NEXT: %linear2 = nir.linear "linear2"(%lif1) {weight = #nir.dense<1x1xf64: [1.0]>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<1xf32> -> tensor<1xf32>
// TWO-NEXT: %lif2 = nir.lif "lif2"(%linear2) {tau = #nir.dense<1xf64: [0.01]>, r = #nir.dense<1xf64: [1.0]>, v_leak = #nir.dense<1xf64: [0.0]>, v_threshold = #nir.dense<1xf64: [20.0]>, v_reset = #nir.dense<1xf64: [0.0]>, edge_ids = #nir.dense<1xi64: [3]>} : tensor<1xf32> -> tensor<1xf32>
// TWO-NEXT: nir.output "out"(%lif2) {shape = #nir.dense<1xi64: [1]>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<1xf32>

// --- cnn_sinabs: Conv2d / IF / SumPool2d / Flatten / Affine, every shape inferred:
// [2,34,34] -conv 5x5 s2 p1-> [16,16,16] -conv 3x3 p1-> [16,16,16] -pool 2-> [16,8,8]
// -conv-> [8,8,8] -pool-> [8,4,4] -flatten-> [128] -affine-> [256] -affine-> [10].
// Large weights print as blobs, constant tensors as splats.
// RUN: nir-translate --import-nir %corpus/cnn_sinabs.nir 2>/dev/null | filecheck %s --check-prefix=CNN --match-full-lines
// CNN:      builtin.module {
// CNN-NEXT:   nir.graph {
// CNN-NEXT:     %input = nir.input "input" {shape = #nir.dense<3xi64: [2, 34, 34]>} : tensor<2x34x34xf32>
// CNN-NEXT:     %n0 = nir.conv2d "0"(%input) {weight = #nir.dense<16x2x5x5xf32: blob "blob_1352e20fcb0525392c8c">, bias = #nir.dense<16xf32: 0.0>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: 34>, edge_ids = #nir.dense<1xi64: [9]>} : tensor<2x34x34xf32> -> tensor<16x16x16xf32>
// CNN-NEXT:     %n1 = nir.if "1"(%n0) {r = #nir.dense<16x16x16xf32: 1.0>, v_threshold = #nir.dense<16x16x16xf32: 1.0>, v_reset = #nir.dense<16x16x16xf32: 0.0>, edge_ids = #nir.dense<1xi64: [3]>} : tensor<16x16x16xf32> -> tensor<16x16x16xf32>
// CNN-NEXT:     %n2 = nir.conv2d "2"(%n1) {weight = #nir.dense<16x16x3x3xf32: blob "blob_9c6bee91b47e372bff7a">, bias = #nir.dense<16xf32: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: 16>, edge_ids = #nir.dense<1xi64: [11]>} : tensor<16x16x16xf32> -> tensor<16x16x16xf32>
// CNN-NEXT:     %n3 = nir.if "3"(%n2) {r = #nir.dense<16x16x16xf32: 1.0>, v_threshold = #nir.dense<16x16x16xf32: 1.0>, v_reset = #nir.dense<16x16x16xf32: 0.0>, edge_ids = #nir.dense<1xi64: [8]>} : tensor<16x16x16xf32> -> tensor<16x16x16xf32>
// CNN-NEXT:     %n4 = nir.sum_pool2d "4"(%n3) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>, edge_ids = #nir.dense<1xi64: [7]>} : tensor<16x16x16xf32> -> tensor<16x8x8xf32>
// CNN-NEXT:     %n5 = nir.conv2d "5"(%n4) {weight = #nir.dense<8x16x3x3xf32: blob "blob_bc38051b2400c2a21b32">, bias = #nir.dense<8xf32: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 1>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: 8>, edge_ids = #nir.dense<1xi64: [6]>} : tensor<16x8x8xf32> -> tensor<8x8x8xf32>
// CNN-NEXT:     %n6 = nir.if "6"(%n5) {r = #nir.dense<8x8x8xf32: 1.0>, v_threshold = #nir.dense<8x8x8xf32: 1.0>, v_reset = #nir.dense<8x8x8xf32: 0.0>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<8x8x8xf32> -> tensor<8x8x8xf32>
// CNN-NEXT:     %n7 = nir.sum_pool2d "7"(%n6) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>, edge_ids = #nir.dense<1xi64: [10]>} : tensor<8x8x8xf32> -> tensor<8x4x4xf32>
// CNN-NEXT:     %n8 = nir.flatten "8"(%n7) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: [8, 4, 4]>, edge_ids = #nir.dense<1xi64: [12]>} : tensor<8x4x4xf32> -> tensor<128xf32>
// CNN-NEXT:     %n9 = nir.affine "9"(%n8) {weight = #nir.dense<256x128xf32: blob "blob_1b3fcbfe4ce7a3e4fa31">, bias = #nir.dense<256xf32: 0.0>, edge_ids = #nir.dense<1xi64: [0]>} : tensor<128xf32> -> tensor<256xf32>
// CNN-NEXT:     %n10 = nir.if "10"(%n9) {r = #nir.dense<256xf32: 1.0>, v_threshold = #nir.dense<256xf32: 1.0>, v_reset = #nir.dense<256xf32: 0.0>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<256xf32> -> tensor<256xf32>
// CNN-NEXT:     %n11 = nir.affine "11"(%n10) {weight = #nir.dense<10x256xf32: blob "blob_3d1687eb7ef280cac3db">, bias = #nir.dense<10xf32: 0.0>, edge_ids = #nir.dense<1xi64: [13]>} : tensor<256xf32> -> tensor<10xf32>
// CNN-NEXT:     %n12 = nir.if "12"(%n11) {r = #nir.dense<10xf32: 1.0>, v_threshold = #nir.dense<10xf32: 1.0>, v_reset = #nir.dense<10xf32: 0.0>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<10xf32> -> tensor<10xf32>
// CNN-NEXT:     nir.output "output"(%n12) {shape = #nir.dense<1xi64: [10]>, edge_ids = #nir.dense<1xi64: [5]>} : tensor<10xf32>
// CNN-NEXT:   }
// CNN-NEXT: }
// CNN-EMPTY:
// CNN-NEXT: {-#
// CNN-NEXT:   dialect_resources: {
// CNN-NEXT:     nir: {
// CNN-NEXT:       blob_1352e20fcb0525392c8c: "0x04000000{{[0-9a-f]+}}",
// CNN-NEXT:       blob_9c6bee91b47e372bff7a: "0x04000000{{[0-9a-f]+}}",
// CNN-NEXT:       blob_bc38051b2400c2a21b32: "0x04000000{{[0-9a-f]+}}",
// CNN-NEXT:       blob_1b3fcbfe4ce7a3e4fa31: "0x04000000{{[0-9a-f]+}}",
// CNN-NEXT:       blob_3d1687eb7ef280cac3db: "0x04000000{{[0-9a-f]+}}"
// CNN-NEXT:     }
// CNN-NEXT:   }
// CNN-NEXT: #-}
// CNN-NOT: {{.}}

// --- braille (recurrent CubaLIF): "lif1.lif" takes its own recurrent weights
// "lif1.w_rec" as a forward reference; edge_ids keep the file's edge order.
// RUN: nir-translate --import-nir %corpus/braille_noDelay_bias_zero.nir 2>/dev/null | filecheck %s --check-prefix=BRAILLE --match-full-lines
// BRAILLE:      %input = nir.input "input" {shape = #nir.dense<1xi64: [12]>} : tensor<12xf32>
// BRAILLE-NEXT: %fc1 = nir.affine "fc1"(%input) {weight = #nir.dense<38x12xf32: blob "blob_fb2223f06538a9d2805e">, bias = #nir.dense<38xf32: [-0.06660467, -0.062713854, 0.11628828, {{.*}}, 0.061920118]>, edge_ids = #nir.dense<1xi64: [3]>} : tensor<12xf32> -> tensor<38xf32>
// BRAILLE-NEXT: %lif1_lif = nir.cuba_lif "lif1.lif"(%lif1_w_rec, %fc1) {tau_syn = #nir.dense<38xf64: 0.0002222222281091009>, tau_mem = #nir.dense<38xf64: 0.0009999997615814777>, r = #nir.dense<38xf64: 9.999997615814776>, v_leak = #nir.dense<38xf64: 0.0>, v_threshold = #nir.dense<38xf64: 1.0>, v_reset = #nir.dense<38xf64: 0.0>, w_in = #nir.dense<38xf64: 2.2222222810910086>, edge_ids = #nir.dense<2xi64: [0, 5]>} : tensor<38xf32> -> tensor<38xf32>
// BRAILLE-NEXT: %fc2 = nir.affine "fc2"(%lif1_lif) {weight = #nir.dense<7x38xf32: blob "blob_6727807e713d189097a5">, bias = #nir.dense<7xf32: [0.35732532, 0.25837114, 0.2918961, 0.25666502, 0.26860565, 0.32621846, 0.31571466]>, edge_ids = #nir.dense<1xi64: [6]>} : tensor<38xf32> -> tensor<7xf32>
// BRAILLE-NEXT: %lif2 = nir.cuba_lif "lif2"(%fc2) {tau_syn = #nir.dense<7xf64: 0.0002>, tau_mem = #nir.dense<7xf64: 0.0002222222281091009>, r = #nir.dense<7xf64: 2.2222222810910086>, v_leak = #nir.dense<7xf64: 0.0>, v_threshold = #nir.dense<7xf64: 1.0>, v_reset = #nir.dense<7xf64: 0.0>, w_in = #nir.dense<7xf64: 2.0>, edge_ids = #nir.dense<1xi64: [2]>} : tensor<7xf32> -> tensor<7xf32>
// BRAILLE-NEXT: nir.output "output"(%lif2) {shape = #nir.dense<1xi64: [7]>, edge_ids = #nir.dense<1xi64: [1]>} : tensor<7xf32>
// BRAILLE-NEXT: %lif1_w_rec = nir.affine "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<38x38xf32: blob "blob_ddc5a39813973a067b87">, bias = #nir.dense<38xf32: [0.1316501, -0.31533462, 0.20473164, {{.*}}, 0.11530228]>, edge_ids = #nir.dense<1xi64: [4]>} : tensor<38xf32> -> tensor<38xf32>
// BRAILLE-NEXT: }
// BRAILLE-NEXT: }

// The variant without bias: Linear instead of Affine, 40 neurons.
// RUN: nir-translate --import-nir %corpus/braille_noDelay_noBias_subtract.nir 2>/dev/null | filecheck %s --check-prefix=BRAILLE-NOBIAS
// BRAILLE-NOBIAS: %fc1 = nir.linear "fc1"(%input) {weight = #nir.dense<40x12xf32: blob "{{blob_[0-9a-f]+}}">, edge_ids = #nir.dense<1xi64: [4]>} : tensor<12xf32> -> tensor<40xf32>
// BRAILLE-NOBIAS-NEXT: %lif1_lif = nir.cuba_lif "lif1.lif"(%lif1_w_rec, %fc1) {{.*}} : tensor<40xf32> -> tensor<40xf32>
// BRAILLE-NOBIAS: %lif1_w_rec = nir.linear "lif1.w_rec"(%lif1_lif) {weight = #nir.dense<40x40xf32: blob "{{blob_[0-9a-f]+}}">, edge_ids = #nir.dense<1xi64: [2]>} : tensor<40xf32> -> tensor<40xf32>

// --- The subgraph variants are malformed: inside the nested graph "lif1" an edge
// names node "lif", which does not exist (the node is called "lif1").  Import fails
// with one line on stderr and exit code 1, printing nothing.
// RUN: not nir-translate --import-nir %corpus/braille_noDelay_bias_zero_subgraph.nir 2>&1 | filecheck %s --check-prefix=ERR --match-full-lines
// RUN: not nir-translate --import-nir %corpus/braille_noDelay_noBias_subtract_subgraph.nir 2>&1 | filecheck %s --check-prefix=ERR --match-full-lines
// RUN: not nir-opt %corpus/braille_noDelay_bias_zero_subgraph.nir 2>&1 | filecheck %s --check-prefix=ERR-OPT --match-full-lines
// ERR:      nir-translate: warning: {{.*}}_subgraph.nir: node 'lif1/lif1': no v_reset (NIR < 1.0 file); using 0
// ERR-NEXT: nir-translate: error: {{.*}}_subgraph.nir: node 'lif1': edge ('input', 'lif') names destination node 'lif', which does not exist [edge-endpoint]
// ERR-NOT: {{.}}
// ERR-OPT:      nir-opt: warning: {{.*}}_subgraph.nir: node 'lif1/lif1': no v_reset (NIR < 1.0 file); using 0
// ERR-OPT-NEXT: nir-opt: error: {{.*}}_subgraph.nir: node 'lif1': edge ('input', 'lif') names destination node 'lif', which does not exist [edge-endpoint]
// ERR-OPT-NOT: {{.}}
