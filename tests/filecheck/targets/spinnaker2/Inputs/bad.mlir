// a: not quantized (gain 0.5, no scale) and spikes at v >= threshold; d: an NIR delay;
// b reads the delay (not a projection) and is read as a membrane (no threshold).
nir.graph {
  %in = nir.input "in" {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
  %w = nir.linear "w"(%in) {weight = #nir.dense<2x2xf32: [1.0, 0.0, 0.0, 1.0]>} : tensor<2xf32> -> tensor<2xf32>
  %a = snn.leaky "a"(%w) {decay = #nir.dense<2xf64: 0.5>, gain = #nir.dense<2xf64: 0.5>, bias = #nir.dense<2xf64: 0.0>, threshold = #nir.dense<2xf64: 1.0>, v_reset = #nir.dense<2xf64: 0.0>, reset = "value", compare = ">=", spike_timing = "same", reset_timing = "same", order = "leak-then-integrate", output = "spikes"} : tensor<2xf32> -> tensor<2xf32>
  %d = snn.delay "d"(%a) {steps = #nir.dense<2xi64: 2>} : tensor<2xf32> -> tensor<2xf32>
  %b = snn.leaky "b"(%d) {decay = #nir.dense<2xf64: 0.5>, gain = #nir.dense<2xf64: 1.0>, bias = #nir.dense<2xf64: 0.0>, order = "leak-then-integrate"} : tensor<2xf32> -> tensor<2xf32>
  nir.output "out"(%b) {shape = #nir.dense<1xi64: [2]>} : tensor<2xf32>
}
