// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: nir-opt %s -o %t.1.mlir && nir-opt %t.1.mlir -o %t.2.mlir && diff %t.1.mlir %t.2.mlir

// Every node op of the nir dialect in its custom form.  Parameters print in the
// op's canonical order (PARAMS, OPTIONAL_PARAMS, metadata, edge_ids), whatever the
// order in the input; tensors whose elements are all equal print as splats.
// Each result type is the shape the verifier infers from the input and parameters.

// CHECK:      builtin.module {
// CHECK-NEXT: nir.graph {
nir.graph {
  // Input: `shape` keeps its integer dtype.
  // CHECK-NEXT: %in = nir.input "in" {shape = #nir.dense<3xi64: [4, 8, 8]>} : tensor<4x8x8xf32>
  %in = nir.input "in" {shape = #nir.dense<3xi64: [4, 8, 8]>} : tensor<4x8x8xf32>
  // CHECK-NEXT: %in1 = nir.input "in1" {shape = #nir.dense<2xi32: [2, 10]>} : tensor<2x10xf32>
  %in1 = nir.input "in1" {shape = #nir.dense<2xi32: [2, 10]>} : tensor<2x10xf32>
  // CHECK-NEXT: %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %in2 = nir.input "in2" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  // CHECK-NEXT: %v = nir.input "v" {shape = #nir.dense<1xui8: [2]>} : tensor<2xf32>
  %v = nir.input "v" {shape = #nir.dense<1xui8: [2]>} : tensor<2xf32>

  // Linear / Affine: W maps the last axis, leading axes of W batch.
  // CHECK-NEXT: %lin = nir.linear "lin"(%in2) {weight = #nir.dense<2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : tensor<3xf32> -> tensor<2xf32>
  %lin = nir.linear "lin"(%in2) {weight = #nir.dense<2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : tensor<3xf32> -> tensor<2xf32>
  // CHECK-NEXT: %aff = nir.affine "aff"(%in2) {weight = #nir.dense<2x3xf64: [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]>, bias = #nir.dense<2xf64: [0.25, -1.5]>} : tensor<3xf32> -> tensor<2xf32>
  %aff = nir.affine "aff"(%in2) {bias = #nir.dense<2xf64: [0.25, -1.5]>, weight = #nir.dense<2x3xf64: [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]>} : tensor<3xf32> -> tensor<2xf32>
  // CHECK-NEXT: %aff3 = nir.affine "aff3" {weight = #nir.dense<2x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, bias = #nir.dense<2x1xf32: [0.0, 1.0]>} : tensor<2x1xf32>
  %aff3 = nir.affine "aff3" {weight = #nir.dense<2x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, bias = #nir.dense<2x1xf32: [0.0, 1.0]>} : tensor<2x1xf32>

  // Conv1d: (10 - 2*(3-1) - 1) / 1 + 1 = 6; "same" with groups = 2 (C_in = 1 * 2).
  // CHECK-NEXT: %c1 = nir.conv1d "c1"(%in1) {weight = #nir.dense<3x2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0]>, bias = #nir.dense<3xf32: 0.0>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 2>, groups = #nir.dense<i64: 1>} : tensor<2x10xf32> -> tensor<3x6xf32>
  %c1 = nir.conv1d "c1"(%in1) {weight = #nir.dense<3x2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0]>, bias = #nir.dense<3xf32: [0.0, 0.0, 0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 2>, groups = #nir.dense<i64: 1>} : tensor<2x10xf32> -> tensor<3x6xf32>
  // CHECK-NEXT: %c1s = nir.conv1d "c1s"(%in1) {weight = #nir.dense<2x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, bias = #nir.dense<2xf32: [0.0, 1.0]>, stride = #nir.dense<1xi64: [1]>, padding = "same", dilation = #nir.dense<1xi64: [1]>, groups = #nir.dense<i64: 2>, input_shape = #nir.dense<i64: 10>} : tensor<2x10xf32> -> tensor<2x10xf32>
  %c1s = nir.conv1d "c1s"(%in1) {weight = #nir.dense<2x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, bias = #nir.dense<2xf32: [0.0, 1.0]>, stride = #nir.dense<1xi64: [1]>, padding = "same", dilation = #nir.dense<1xi64: [1]>, groups = #nir.dense<i64: 2>, input_shape = #nir.dense<i64: 10>} : tensor<2x10xf32> -> tensor<2x10xf32>

  // Conv2d, integer padding: (8 + 2*1 - 0 - 1) / 2 + 1 = 5.
  // CHECK-NEXT: %c_int = nir.conv2d "c_int"(%in) {weight = #nir.dense<2x4x1x1xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>, stride = #nir.dense<i64: 2>, padding = #nir.dense<i64: 1>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<2x5x5xf32>
  %c_int = nir.conv2d "c_int"(%in) {weight = #nir.dense<2x4x1x1xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>, bias = #nir.dense<2xf32: [0.5, -0.5]>, stride = #nir.dense<i64: 2>, padding = #nir.dense<i64: 1>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<2x5x5xf32>
  // Per-dimension stride/padding/dilation: H = (8+2-2*2-1)/1+1 = 6, W = (8-1)/2+1 = 4.
  // CHECK-NEXT: %c_arr = nir.conv2d "c_arr"(%in) {weight = #nir.dense<3x4x3x1xf32: 1.0>, bias = #nir.dense<3xf32: 0.0>, stride = #nir.dense<2xi64: [1, 2]>, padding = #nir.dense<2xi64: [1, 0]>, dilation = #nir.dense<2xi64: [2, 1]>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: 8>} : tensor<4x8x8xf32> -> tensor<3x6x4xf32>
  %c_arr = nir.conv2d "c_arr"(%in) {padding = #nir.dense<2xi64: [1, 0]>, stride = #nir.dense<2xi64: [1, 2]>, weight = #nir.dense<3x4x3x1xf32: 1.0>, bias = #nir.dense<3xf32: 0.0>, dilation = #nir.dense<2xi64: [2, 1]>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: [8, 8]>} : tensor<4x8x8xf32> -> tensor<3x6x4xf32>
  // CHECK-NEXT: %c_same = nir.conv2d "c_same"(%in) {weight = #nir.dense<1x4x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = "same", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<1x8x8xf32>
  %c_same = nir.conv2d "c_same"(%in) {weight = #nir.dense<1x4x1x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = "same", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<1x8x8xf32>
  // CHECK-NEXT: %c_valid = nir.conv2d "c_valid"(%in) {weight = #nir.dense<1x4x3x3xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: 2>, padding = "valid", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<1x3x3xf32>
  %c_valid = nir.conv2d "c_valid"(%in) {weight = #nir.dense<1x4x3x3xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: [2, 2]>, padding = "valid", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<1x3x3xf32>
  // groups = 2: C_in = weight.shape[1] * groups = 2 * 2 = 4.
  // CHECK-NEXT: %c_grp = nir.conv2d "c_grp"(%in) {weight = #nir.dense<6x2x1x1xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]>, bias = #nir.dense<6xf32: 0.0>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 2>, input_shape = #nir.dense<2xi64: 8>} : tensor<4x8x8xf32> -> tensor<6x8x8xf32>
  %c_grp = nir.conv2d "c_grp"(%in) {weight = #nir.dense<6x2x1x1xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0]>, bias = #nir.dense<6xf32: 0.0>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 2>, input_shape = #nir.dense<2xi64: [8, 8]>} : tensor<4x8x8xf32> -> tensor<6x8x8xf32>
  // No incoming edge: the shape comes from input_shape, (5-1)/1+1 = 4, (7-1)/1+1 = 6.
  // CHECK-NEXT: %c_free = nir.conv2d "c_free" {weight = #nir.dense<1x1x2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: [5, 7]>} : tensor<1x4x6xf32>
  %c_free = nir.conv2d "c_free" {weight = #nir.dense<1x1x2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: [5, 7]>} : tensor<1x4x6xf32>

  // Pooling: floor rule, padding counts.  ap: H = (8+2-2-1)/2+1 = 4, W = (8-1-1)/1+1 = 7.
  // CHECK-NEXT: %sp = nir.sum_pool2d "sp"(%in) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<4x8x8xf32> -> tensor<4x4x4xf32>
  %sp = nir.sum_pool2d "sp"(%in) {kernel_size = #nir.dense<2xi64: [2, 2]>, stride = #nir.dense<2xi64: [2, 2]>, padding = #nir.dense<2xi64: [0, 0]>} : tensor<4x8x8xf32> -> tensor<4x4x4xf32>
  // CHECK-NEXT: %ap = nir.avg_pool2d "ap"(%in) {kernel_size = #nir.dense<2xi64: [3, 2]>, stride = #nir.dense<2xi64: [2, 1]>, padding = #nir.dense<2xi64: [1, 0]>} : tensor<4x8x8xf32> -> tensor<4x4x7xf32>
  %ap = nir.avg_pool2d "ap"(%in) {kernel_size = #nir.dense<2xi64: [3, 2]>, stride = #nir.dense<2xi64: [2, 1]>, padding = #nir.dense<2xi64: [1, 0]>} : tensor<4x8x8xf32> -> tensor<4x4x7xf32>
  // CHECK-NEXT: %ap1 = nir.avg_pool2d "ap1"(%in) {kernel_size = #nir.dense<i64: 3>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<4x8x8xf32>
  %ap1 = nir.avg_pool2d "ap1"(%in) {kernel_size = #nir.dense<i64: 3>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 1>} : tensor<4x8x8xf32> -> tensor<4x8x8xf32>

  // Flatten, with and without input_type, negative dims counting from the end.
  // CHECK-NEXT: %fl = nir.flatten "fl"(%sp) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: 4>} : tensor<4x4x4xf32> -> tensor<64xf32>
  %fl = nir.flatten "fl"(%sp) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: [4, 4, 4]>} : tensor<4x4x4xf32> -> tensor<64xf32>
  // CHECK-NEXT: %fl2 = nir.flatten "fl2"(%in) {start_dim = #nir.dense<i64: 1>, end_dim = #nir.dense<i64: -1>} : tensor<4x8x8xf32> -> tensor<4x64xf32>
  %fl2 = nir.flatten "fl2"(%in) {start_dim = #nir.dense<i64: 1>, end_dim = #nir.dense<i64: -1>} : tensor<4x8x8xf32> -> tensor<4x64xf32>
  // CHECK-NEXT: %fl3 = nir.flatten "fl3"(%in) {start_dim = #nir.dense<i64: -3>, end_dim = #nir.dense<i64: -2>} : tensor<4x8x8xf32> -> tensor<32x8xf32>
  %fl3 = nir.flatten "fl3"(%in) {start_dim = #nir.dense<i64: -3>, end_dim = #nir.dense<i64: -2>} : tensor<4x8x8xf32> -> tensor<32x8xf32>
  // CHECK-NEXT: %fl4 = nir.flatten "fl4" {start_dim = #nir.dense<i32: 0>, end_dim = #nir.dense<i32: 1>, input_type = #nir.dense<2xi64: [3, 5]>} : tensor<15xf32>
  %fl4 = nir.flatten "fl4" {end_dim = #nir.dense<i32: 1>, start_dim = #nir.dense<i32: 0>, input_type = #nir.dense<2xi64: [3, 5]>} : tensor<15xf32>

  // Elementwise nodes and neurons: parameters share the signal's shape.
  // CHECK-NEXT: %d = nir.delay "d"(%v) {delay = #nir.dense<2xf32: [0.0, 0.001]>} : tensor<2xf32> -> tensor<2xf32>
  %d = nir.delay "d"(%v) {delay = #nir.dense<2xf32: [0.0, 0.001]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %s = nir.scale "s"(%v) {scale = #nir.dense<2xf32: [2.0, -0.5]>} attributes {note = "a discardable attribute"} : tensor<2xf32> -> tensor<2xf32>
  %s = nir.scale "s"(%v) {scale = #nir.dense<2xf32: [2.0, -0.5]>} attributes {note = "a discardable attribute"} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %th = nir.threshold "th"(%v) {threshold = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %th = nir.threshold "th"(%v) {threshold = #nir.dense<2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %i = nir.i "i"(%v) {r = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  %i = nir.i "i"(%v) {r = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %li = nir.li "li"(%v) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %li = nir.li "li"(%v) {tau = #nir.dense<2xf32: [0.01, 0.02]>, r = #nir.dense<2xf32: [1.0, 1.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %if = nir.if "if"(%v) {r = #nir.dense<2xf32: 1.0>, v_threshold = #nir.dense<2xf32: [1.0, 1.5]>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %if = nir.if "if"(%v) {v_reset = #nir.dense<2xf32: [0.0, 0.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.5]>, r = #nir.dense<2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %lif = nir.lif "lif"(%v) {tau = #nir.dense<2xf64: 0.01>, r = #nir.dense<2xf64: 1.0>, v_leak = #nir.dense<2xf64: [0.0, -0.065]>, v_threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>} : tensor<2xf32> -> tensor<2xf32>
  %lif = nir.lif "lif"(%v) {tau = #nir.dense<2xf64: [0.01, 0.01]>, r = #nir.dense<2xf64: [1.0, 1.0]>, v_leak = #nir.dense<2xf64: [0.0, -0.065]>, v_threshold = #nir.dense<2xf64: [1.0, 1.0]>, v_reset = #nir.dense<2xf64: [0.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %cli = nir.cuba_li "cli"(%v) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
  %cli = nir.cuba_li "cli"(%v) {tau_syn = #nir.dense<2xf32: [0.005, 0.005]>, tau_mem = #nir.dense<2xf32: [0.02, 0.02]>, r = #nir.dense<2xf32: [1.0, 1.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.0]>, w_in = #nir.dense<2xf32: [1.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %clif = nir.cuba_lif "clif"(%v) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: [1.0, 0.5]>} : tensor<2xf32> -> tensor<2xf32>
  %clif = nir.cuba_lif "clif"(%v) {w_in = #nir.dense<2xf32: [1.0, 0.5]>, tau_syn = #nir.dense<2xf32: [0.005, 0.005]>, tau_mem = #nir.dense<2xf32: [0.02, 0.02]>, r = #nir.dense<2xf32: [1.0, 1.0]>, v_leak = #nir.dense<2xf32: [0.0, 0.0]>, v_threshold = #nir.dense<2xf32: [1.0, 1.0]>, v_reset = #nir.dense<2xf32: [0.0, 0.0]>} : tensor<2xf32> -> tensor<2xf32>
  // CHECK-NEXT: %i2 = nir.i "i2" {r = #nir.dense<2x2xf16: [1.0, 2.0, 3.0, 4.0]>} : tensor<2x2xf32>
  %i2 = nir.i "i2" {r = #nir.dense<2x2xf16: [1.0, 2.0, 3.0, 4.0]>} : tensor<2x2xf32>

  // Output: the sum of its incoming signals.
  // CHECK-NEXT: nir.output "out"(%lin) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "out"(%lin) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
// CHECK-NEXT: }
}
// CHECK-NEXT: }
// CHECK-NOT: {{.}}

// The generic form prints every property, `name` first, in the op's stored order.
// GENERIC:      "builtin.module"() ({
// GENERIC-NEXT:   "nir.graph"() ({
// GENERIC-NEXT:     %in = "nir.input"() <{name = "in", shape = #nir.dense<3xi64: [4, 8, 8]>}> : () -> tensor<4x8x8xf32>
// GENERIC:          %lin = "nir.linear"(%in2) <{name = "lin", weight = #nir.dense<2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>}> : (tensor<3xf32>) -> tensor<2xf32>
// GENERIC:          %c_free = "nir.conv2d"() <{name = "c_free", {{.*}}input_shape = #nir.dense<2xi64: [5, 7]>}> : () -> tensor<1x4x6xf32>
// GENERIC:          %s = "nir.scale"(%v) <{name = "s", scale = #nir.dense<2xf32: [2.0, -0.5]>}> {note = "a discardable attribute"} : (tensor<2xf32>) -> tensor<2xf32>
// GENERIC:          "nir.output"(%lin) <{name = "out", shape = #nir.dense<1xi64: [2]>}> : (tensor<2xf32>) -> ()
// GENERIC-NEXT:   }) : () -> ()
// GENERIC-NEXT: }) : () -> ()
