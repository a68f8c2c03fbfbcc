// RUN: nir-opt %s --split-input-file -p fold-sum-pool | filecheck %s
// RUN: nir-opt %s --split-input-file -p fold-sum-pool,fold-sum-pool | filecheck %s
// RUN: not nir-opt %s -p 'fold-sum-pool{k=2}' 2>&1 | filecheck %s --check-prefix=BAD-OPT

// A 2x2 sum pool into a 2x2 conv: one 4x4 conv of stride 2 on the pool's input, each
// kernel element repeated over the 2x2 window it pooled; the bias stays.
// CHECK-LABEL: %in = nir.input "in"
// CHECK-NEXT:  %c = nir.conv2d "c"(%in) {weight = #nir.dense<1x1x4x4xf32: [1.0, 1.0, 2.0, 2.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0, 3.0, 3.0, 4.0, 4.0]>, bias = #nir.dense<1xf32: [0.5]>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x4x4xf32> -> tensor<1x1x1xf32>
// CHECK-NOT:   sum_pool2d
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p = nir.sum_pool2d "p"(%in) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<1x4x4xf32> -> tensor<1x2x2xf32>
  %c = nir.conv2d "c"(%p) {weight = #nir.dense<1x1x2x2xf32: [1.0, 2.0, 3.0, 4.0]>, bias = #nir.dense<1xf32: [0.5]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x2x2xf32> -> tensor<1x1x1xf32>
  nir.output "out"(%c) {shape = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32>
}

// -----
// A pool before Flatten -> Linear: the Flatten reads the pool's input, each column of the
// weights repeated over its window.
// CHECK-LABEL: %in2 = nir.input "in2"
// CHECK-NEXT:  %f = nir.flatten "f"(%in2) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32> -> tensor<4xf32>
// CHECK-NEXT:  %l = nir.linear "l"(%f) {weight = #nir.dense<2x4xf32: [1.0, 1.0, 1.0, 1.0, -2.0, -2.0, -2.0, -2.0]>} : tensor<4xf32> -> tensor<2xf32>
nir.graph {
  %in2 = nir.input "in2" {shape = #nir.dense<3xi64: [1, 2, 2]>} : tensor<1x2x2xf32>
  %p = nir.sum_pool2d "p"(%in2) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<1x2x2xf32> -> tensor<1x1x1xf32>
  %f = nir.flatten "f"(%p) {start_dim = #nir.dense<i64: 0>, end_dim = #nir.dense<i64: -1>, input_type = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32> -> tensor<1xf32>
  %l = nir.linear "l"(%f) {weight = #nir.dense<2x1xf32: [1.0, -2.0]>} : tensor<1xf32> -> tensor<2xf32>
  nir.output "out"(%l) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}

// -----
// Must not change: a pool whose stride is not its kernel (overlapping windows), and one
// whose input's height is not a multiple of its kernel (it drops a row).
// CHECK-LABEL: %in3 = nir.input "in3"
// CHECK-NEXT:  %p3 = nir.sum_pool2d "p3"(%in3)
// CHECK-NEXT:  %c3 = nir.conv2d "c3"(%p3)
// CHECK:       %p4 = nir.sum_pool2d "p4"(%in4)
// CHECK-NEXT:  %c4 = nir.conv2d "c4"(%p4)
nir.graph {
  %in3 = nir.input "in3" {shape = #nir.dense<3xi64: [1, 4, 4]>} : tensor<1x4x4xf32>
  %p3 = nir.sum_pool2d "p3"(%in3) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>} : tensor<1x4x4xf32> -> tensor<1x3x3xf32>
  %c3 = nir.conv2d "c3"(%p3) {weight = #nir.dense<1x1x3x3xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x3x3xf32> -> tensor<1x1x1xf32>
  nir.output "out3"(%c3) {shape = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32>
  %in4 = nir.input "in4" {shape = #nir.dense<3xi64: [1, 5, 4]>} : tensor<1x5x4xf32>
  %p4 = nir.sum_pool2d "p4"(%in4) {kernel_size = #nir.dense<2xi64: 2>, stride = #nir.dense<2xi64: 2>, padding = #nir.dense<2xi64: 0>} : tensor<1x5x4xf32> -> tensor<1x2x2xf32>
  %c4 = nir.conv2d "c4"(%p4) {weight = #nir.dense<1x1x2x2xf32: 1.0>, bias = #nir.dense<1xf32: [0.0]>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<1x2x2xf32> -> tensor<1x1x1xf32>
  nir.output "out4"(%c4) {shape = #nir.dense<3xi64: [1, 1, 1]>} : tensor<1x1x1xf32>
}

// BAD-OPT: bad options for pass 'fold-sum-pool'
