// RUN: nir-opt %s --split-input-file --verify-diagnostics | filecheck %s
//
// One violated rule of the nir dialect's verifiers per chunk; with
// --verify-diagnostics nir-opt prints each chunk's first error as one line,
// `node 'PATH': MESSAGE [RULE]`, and no module (checked by the CHECK-NOT at the end).

// finite-params
// CHECK: node 's': parameter 'scale' has non-finite values [finite-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %s = nir.scale "s"(%v) {scale = #nir.dense<2xf32: [1.0, 0x7FC00000]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'l': parameter 'v_threshold' has non-finite values [finite-params]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = nir.lif "l"(%v) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf64: [1.0, 0xFFF0000000000000]>, v_reset = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// param-dtype
// CHECK-NEXT: node 'v': parameter 'shape' must hold integers, got float32 [param-dtype]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xf32: [2.0]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'f': parameter 'start_dim' must hold integers, got float64 [param-dtype]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [4, 8, 8]>} : tensor<4x8x8xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<f64: 0.0>, end_dim = #nir.dense<i64: -1>} : tensor<4x8x8xf32> -> tensor<256xf32>
}
// -----
// CHECK-NEXT: node 'c': parameter 'stride' must hold integers, got float32 [param-dtype]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<f32: 1.0>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// param-shapes
// CHECK-NEXT: node 'l': parameters must share one shape, got tau[2], r[3], v_leak[2] [param-shapes]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = nir.li "l"(%v) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<3xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// fan-in-shapes (generic form: the custom form has one operand type)
// CHECK-NEXT: node 's': incoming edges carry different shapes [2], [3]; NIR sums them [fan-in-shapes]
nir.graph {
  %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = nir.input "b" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %s = "nir.scale"(%a, %b) <{name = "s", scale = #nir.dense<2xf32: [1.0, 2.0]>}> : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
}
// -----
// edge-shape
// CHECK-NEXT: node 'fc': incoming edge carries shape [2], the parameters expect [3] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'i': incoming edge carries shape [3], the parameters expect [2] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %i = nir.i "i"(%in) {r = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<3xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'out': incoming edge carries shape [3], the parameters expect [3, 1] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  nir.output "out"(%in) {shape = #nir.dense<2xi64: [3, 1]>} : tensor<3xf32>
}
// -----
// result-type
// CHECK-NEXT: node 'fc': result has shape [3], inferred [2] [result-type]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2x3xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>} : tensor<3xf32> -> tensor<3xf32>
}
// -----
// CHECK-NEXT: node 'in': result must be a tensor of f32, got tensor<3xi32> [result-type]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xi32>
}
// -----
// CHECK-NEXT: node 'in': result has shape [3], inferred [3, 1] [result-type]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [3, 1]>} : tensor<3xf32>
}
// -----
// positive-tau
// CHECK-NEXT: node 'l': time constant 'tau' must be > 0 [positive-tau]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = nir.li "l"(%v) {tau = #nir.dense<2xf32: [0.01, 0.0]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'c': time constant 'tau_mem' must be > 0 [positive-tau]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %c = nir.cuba_lif "c"(%v) {tau_syn = #nir.dense<2xf32: 0.005>, tau_mem = #nir.dense<2xf32: [0.02, -0.02]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, v_threshold = #nir.dense<2xf32: 1.0>, v_reset = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'c': time constant 'tau_syn' must be > 0 [positive-tau]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %c = nir.cuba_li "c"(%v) {tau_syn = #nir.dense<2xf32: 0.0>, tau_mem = #nir.dense<2xf32: 0.02>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>, w_in = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// input-edges
// CHECK-NEXT: node 'b': an Input node takes no incoming edges [input-edges]
nir.graph {
  %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = nir.input "b"(%a) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// shape-param
// CHECK-NEXT: node 'a': shape must be a list of sizes >= 0, got {{\[\[}}2{{\]\]}} [shape-param]
nir.graph {
  %a = nir.input "a" {shape = #nir.dense<1x1xi64: [2]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'a': shape must be a list of sizes >= 0, got [2, -1] [shape-param]
nir.graph {
  %a = nir.input "a" {shape = #nir.dense<2xi64: [2, -1]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'o': shape must be a list of sizes >= 0, got [-2] [shape-param]
nir.graph {
  %a = nir.input "a" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o"(%a) {shape = #nir.dense<1xi64: [-2]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'f': shape must be a list of sizes >= 0, got {{\[\[}}2, 3{{\]\]}} [shape-param]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [2, 3]>} : tensor<2x3xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: 1>, input_type = #nir.dense<1x2xi64: [2, 3]>} : tensor<2x3xf32> -> tensor<6xf32>
}
// -----
// weight-rank
// CHECK-NEXT: node 'fc': weight must be at least 2-D, got shape [2] [weight-rank]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.linear "fc"(%in) {weight = #nir.dense<2xf32: [1.0, 2.0]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: node 'c': weight must be 4-D (C_out, C_in/groups, kernel), got shape [1, 1, 1] [weight-rank]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': weight must be 3-D (C_out, C_in/groups, kernel), got shape [1, 1, 1, 1] [weight-rank]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [1, 4]>} : tensor<1x4xf32>
  %c = nir.conv1d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4xf32> -> tensor<1x4xf32>
}
// -----
// bias-shape
// CHECK-NEXT: node 'fc': bias has shape [2], weight [3, 2] needs [3] [bias-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %fc = nir.affine "fc"(%in) {weight = #nir.dense<3x2xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]>, bias = #nir.dense<2xf32: [0.0, 0.0]>} : tensor<2xf32> -> tensor<3xf32>
}
// -----
// CHECK-NEXT: node 'c': bias has shape [1], expected [2] [bias-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<2x1x1x1xf32: [1.0, 2.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<2x4x4xf32>
}
// -----
// conv-groups
// CHECK-NEXT: node 'c': groups=2 must be >= 1 and divide C_out=3 [conv-groups]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<3x1x1x1xf32: [1.0, 2.0, 3.0]>, bias = #nir.dense<3xf32: 0.0>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 2>} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': groups=0 must be >= 1 and divide C_out=1 [conv-groups]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [0, 4, 4]>} : tensor<0x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 0>} : tensor<0x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': groups must be one integer, got shape [2] [conv-groups]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<2xi64: [1, 1]>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// edge-shape on convolutions: C_in = weight.shape[1] * groups
// CHECK-NEXT: node 'c': incoming edge carries shape [2, 4, 4], expected (C_in=4, 2 spatial dims) [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<4x2x1x1xf32: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]>, bias = #nir.dense<4xf32: 0.0>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 2>} : tensor<2x4x4xf32> -> tensor<4x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': incoming edge carries shape [4, 4], expected (C_in=4, 2 spatial dims) [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [4, 4]>} : tensor<4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x4x1x1xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<4x4xf32> -> tensor<1x4xf32>
}
// -----
// CHECK-NEXT: node 'c': incoming edge carries shape [1, 6, 6], the parameters expect [1, 8, 8] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 6, 6]>} : tensor<1x6x6xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<2xi64: [8, 8]>} : tensor<1x6x6xf32> -> tensor<1x6x6xf32>
}
// -----
// unknown-input-shape
// CHECK-NEXT: node 'c': no incoming edge and no input_shape: output shape unknown [unknown-input-shape]
nir.graph {
  %c = nir.conv2d "c" {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'f': no incoming edge and no input_type: output shape unknown [unknown-input-shape]
nir.graph {
  %f = nir.flatten "f" {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>} : tensor<16xf32>
}
// -----
// CHECK-NEXT: node 'p': no incoming edge: output shape unknown [unknown-input-shape]
nir.graph {
  %p = nir.sum_pool2d "p" {kernel_size = #nir.dense<i64: 2>, stride = #nir.dense<i64: 2>, padding = #nir.dense<i64: 0>} : tensor<1x2x2xf32>
}
// -----
// pool-params
// CHECK-NEXT: node 'p': kernel_size must be >= 1, got [2, 0] [pool-params]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p = nir.avg_pool2d "p"(%in) {kernel_size = #nir.dense<2xi64: [2, 0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x3x5xf32>
}
// -----
// edge-shape on pooling: (C, H, W) input
// CHECK-NEXT: node 'p': pooling expects a (C, H, W) input, got [4, 4] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [4, 4]>} : tensor<4x4xf32>
  %p = nir.sum_pool2d "p"(%in) {kernel_size = #nir.dense<i64: 2>, stride = #nir.dense<i64: 2>, padding = #nir.dense<i64: 0>} : tensor<4x4xf32> -> tensor<2x2xf32>
}
// -----
// flatten-dims
// CHECK-NEXT: node 'f': start_dim must be one integer [flatten-dims]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [2, 3]>} : tensor<2x3xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<2xi64: [0, 1]>, end_dim = #nir.dense<i64: 1>} : tensor<2x3xf32> -> tensor<6xf32>
}
// -----
// CHECK-NEXT: node 'f': start_dim=0, end_dim=2 out of range for input shape [2, 3] [flatten-dims]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [2, 3]>} : tensor<2x3xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: 2>} : tensor<2x3xf32> -> tensor<6xf32>
}
// -----
// CHECK-NEXT: node 'f': start_dim=-3, end_dim=1 out of range for input shape [2, 3] [flatten-dims]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [2, 3]>} : tensor<2x3xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<i64: -3>, end_dim = #nir.dense<i64: 1>} : tensor<2x3xf32> -> tensor<6xf32>
}
// -----
// CHECK-NEXT: node 'f': start_dim=2 comes after end_dim=-2 for input shape [2, 3, 4] [flatten-dims]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 3, 4]>} : tensor<2x3x4xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<i64: 2>, end_dim = #nir.dense<i64: -2>} : tensor<2x3x4xf32> -> tensor<24xf32>
}
// -----
// edge-shape on flatten: input_type disagrees with the incoming edge
// CHECK-NEXT: node 'f': incoming edge carries shape [2, 3], the parameters expect [3, 2] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [2, 3]>} : tensor<2x3xf32>
  %f = nir.flatten "f"(%in) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: 1>, input_type = #nir.dense<2xi64: [3, 2]>} : tensor<2x3xf32> -> tensor<6xf32>
}
// -----
// delay-sign
// CHECK-NEXT: node 'd': delay must be >= 0 [delay-sign]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %d = nir.delay "d"(%v) {delay = #nir.dense<2xf32: [0.5, -0.001]>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// shape: stride, dilation, padding of convolutions and pooling
// CHECK-NEXT: node 'c': stride must be >= 1, got [1, 0] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: [1, 0]>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': dilation must be >= 1, got [0] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<2xi64: [1, 4]>} : tensor<1x4xf32>
  %c = nir.conv1d "c"(%in) {weight = #nir.dense<1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 0>, groups = #nir.dense<i64: 1>} : tensor<1x4xf32> -> tensor<1x4xf32>
}
// -----
// CHECK-NEXT: node 'c': padding must be >= 0, got [0, -1] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<2xi64: [0, -1]>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x2xf32>
}
// -----
// CHECK-NEXT: node 'c': padding='same' requires stride 1, got stride [1, 2] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x3x3xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: [1, 2]>, padding = "same", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': padding must be an integer, 'same' or 'valid', got 'full' [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x3x3xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = "full", dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x6x6xf32>
}
// -----
// CHECK-NEXT: node 'c': stride must be a scalar or have 2 entries, got shape [3] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<3xi64: [1, 1, 1]>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'c': padding must be integer, got float32 [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<f32: 1.0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x6x6xf32>
}
// -----
// CHECK-NEXT: node 'c': window of 5 (dilation 1) does not fit input of size 3 with padding 0 in dimension 0 [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 3, 3]>} : tensor<1x3x3xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x5x1xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x3x3xf32> -> tensor<1x1x3xf32>
}
// -----
// CHECK-NEXT: node 'c': input_shape must be a scalar or have 2 entries, got shape [3] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x1x1xf32: [1.0]>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>, dilation = #nir.dense<i64: 1>, groups = #nir.dense<i64: 1>, input_shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32> -> tensor<1x4x4xf32>
}
// -----
// CHECK-NEXT: node 'p': kernel_size must be a scalar or have 2 entries, got shape [3] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p = nir.sum_pool2d "p"(%in) {kernel_size = #nir.dense<3xi64: [2, 2, 2]>, stride = #nir.dense<i64: 2>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x2x2xf32>
}
// -----
// CHECK-NEXT: node 'p': stride must be >= 1, got [0, 0] [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p = nir.avg_pool2d "p"(%in) {kernel_size = #nir.dense<i64: 2>, stride = #nir.dense<i64: 0>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x2x2xf32>
}
// -----
// CHECK-NEXT: node 'p': window of 6 (dilation 1) does not fit input of size 4 with padding 0 in dimension 0 [shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p = nir.avg_pool2d "p"(%in) {kernel_size = #nir.dense<i64: 6>, stride = #nir.dense<i64: 1>, padding = #nir.dense<i64: 0>} : tensor<1x4x4xf32> -> tensor<1x1x1xf32>
}
// -----
// top-level-graph
// CHECK-NEXT: node 'g': a top-level graph has no name, incoming edges or results [top-level-graph]
nir.graph "g" : () -> () {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
// -----
// CHECK-NEXT: node '<graph>': a top-level graph has no name, incoming edges or results [top-level-graph]
"nir.graph"() ({
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.output "o"(%v) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}) : () -> tensor<2xf32>
// -----
// graph-name
// CHECK-NEXT: node '<graph>': a nested graph needs a name [graph-name]
nir.graph {
  nir.graph {
    %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// graph-body
// CHECK-NEXT: node '<graph>': 'builtin.unrealized_conversion_cast' is not a NIR node [graph-body]
nir.graph {
  %v = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %c = "builtin.unrealized_conversion_cast"(%v) : (tensor<2xf32>) -> tensor<2xf32>
}
// -----
// unique-names
// CHECK-NEXT: node '<graph>': two nodes are named 'v' [unique-names]
nir.graph {
  %a = nir.input "v" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %b = nir.scale "v"(%a) {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// input-ports
// CHECK-NEXT: node 'g': input_ports needs one entry per incoming edge [input-ports]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) <{input_ports = ["x", "x"]}> : (tensor<2xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// CHECK-NEXT: node 'g': input port 'z' names no Input node of the graph [input-ports]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) <{input_ports = ["z"]}> : (tensor<2xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// CHECK-NEXT: node 'g': the graph has 2 Input nodes; edges into it must name one as '<graph>.<input>' [input-ports]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) : (tensor<2xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %y = nir.input "y" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "o"(%x, %y) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// CHECK-NEXT: node 'g': the graph has no Input node, so it takes no incoming edges [input-ports]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.graph "g"(%in) : (tensor<2xf32>) -> () {
    %c = nir.scale "c" {scale = #nir.dense<2xf32: 1.0>} : tensor<2xf32>
  }
}
// -----
// edge-shape into a nested graph
// CHECK-NEXT: node 'g': incoming edge carries shape [3], input 'x' expects [2] [edge-shape]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [3]>} : tensor<3xf32>
  %g = nir.graph "g"(%in) : (tensor<3xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// result-type of a nested graph
// CHECK-NEXT: node 'g': the graph has 1 Output nodes but 0 results [result-type]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  nir.graph "g"(%in) : (tensor<2xf32>) -> () {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// CHECK-NEXT: node 'g': result for output 'y' has shape [3], expected [2] [result-type]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "g"(%in) : (tensor<2xf32>) -> (tensor<3xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    nir.output "y"(%x) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// errors inside nested graphs name the node by its path
// CHECK-NEXT: node 'outer/inner/leaky': time constant 'tau' must be > 0 [positive-tau]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %g = nir.graph "outer"(%in) : (tensor<2xf32>) -> (tensor<2xf32>) {
    %x = nir.input "x" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    %h = nir.graph "inner"(%x) : (tensor<2xf32>) -> (tensor<2xf32>) {
      %y = nir.input "y" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
      %l = nir.li "leaky"(%y) {tau = #nir.dense<2xf32: [-1.0, 1.0]>, r = #nir.dense<2xf32: 1.0>, v_leak = #nir.dense<2xf32: 0.0>} : tensor<2xf32> -> tensor<2xf32>
      nir.output "o"(%l) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
    }
    nir.output "o"(%h) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  }
}
// -----
// IRDL checks: a missing parameter, a parameter of the wrong kind
// CHECK-NEXT: property 'v_leak' expected in operation 'nir.li' [verifier]
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %l = nir.li "l"(%in) {tau = #nir.dense<2xf32: 0.01>, r = #nir.dense<2xf32: 1.0>} : tensor<2xf32> -> tensor<2xf32>
}
// -----
// CHECK-NEXT: 3 : i64 should be of base attribute string [verifier]
nir.graph {
  %in = "nir.input"() <{name = 3 : i64, shape = #nir.dense<1xi64: [2]>}> : () -> tensor<2xf32>
}
// -----
// CHECK-NEXT: dense<2> : tensor<1xi64> should be of base attribute nir.dense [verifier]
nir.graph {
  %in = nir.input "in" {shape = dense<[2]> : tensor<1xi64>} : tensor<2xf32>
}

// CHECK-NOT: {{.}}
