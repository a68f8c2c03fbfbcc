// RUN: nir-opt %s -p nir-to-speck | filecheck %s
// RUN: nir-opt %s -p 'nir-to-speck{quantize=false}' | filecheck %s --check-prefix=FLOAT

// The named pipeline: canonicalize folds the Scale into the Conv (weights 0.25 * 2),
// convert-nir-to-snn discretizes with the speck profile, convert-snn-to-speck makes the
// core, quantize its integers, speck-place its core.
// CHECK:       %n = speck.layer "n"(%in) {weight = #nir.dense<3x2x1x1xi8: 127>, bias = #nir.dense<3xi8: 0>, threshold = #nir.dense<i16: 254>, {{.*}}, reset = "subtract", scale = #nir.dense<f64: 254.0>, core = 0 : i64, monitor} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
// CHECK-NEXT:  nir.output "out"(%n)
// FLOAT:       %n = speck.layer "n"(%in) {weight = #nir.dense<3x2x1x1xf32: 0.5>, bias = #nir.dense<3xf32: 0.0>, threshold = #nir.dense<f64: 1.0>, {{.*}}, reset = "subtract", core = 0 : i64, monitor}
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<3xi64: [2, 4, 4]>} : tensor<2x4x4xf32>
  %c = nir.conv2d "c"(%in) {weight = #nir.dense<3x2x1x1xf32: 0.25>, bias = #nir.dense<3xf32: 0.0>, stride = #nir.dense<2xi64: 1>, padding = #nir.dense<2xi64: 0>, dilation = #nir.dense<2xi64: 1>, groups = #nir.dense<i64: 1>} : tensor<2x4x4xf32> -> tensor<3x4x4xf32>
  %s = nir.scale "s"(%c) {scale = #nir.dense<3x4x4xf32: 2.0>} : tensor<3x4x4xf32> -> tensor<3x4x4xf32>
  %n = nir.if "n"(%s) {r = #nir.dense<3x4x4xf32: 1.0>, v_threshold = #nir.dense<3x4x4xf32: 1.0>, v_reset = #nir.dense<3x4x4xf32: 0.0>} : tensor<3x4x4xf32> -> tensor<3x4x4xf32>
  nir.output "out"(%n) {shape = #nir.dense<3xi64: [3, 4, 4]>} : tensor<3x4x4xf32>
}
