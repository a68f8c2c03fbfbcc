// The NIR paper's Speck model end to end: the emitted configuration, model and report.
//
// RUN: rm -rf %t && nir-translate %corpus/cnn_sinabs.nir --target=speck -o %t | filecheck %s --check-prefix=SUMMARY
// RUN: filecheck %s --input-file %t/speck_config.json
// RUN: filecheck %s --input-file %t/model.mlir --check-prefix=MODEL
// RUN: filecheck %s --input-file %t/report.json --check-prefix=REPORT

// SUMMARY: nir-translate: wrote speck artefacts to
// SUMMARY-NEXT: layer '1' on core 0: scale 71.54,
// SUMMARY-NEXT: layer '3' on core 1:
// SUMMARY-NEXT: layer '6' on core 2:
// SUMMARY-NEXT: layer '10' on core 3:
// SUMMARY-NEXT: layer '12' on core 4:

// The DVS input feeds core 0 without pooling.
// CHECK:      "format": "nirc-speck-config/1",
// CHECK:      "dvs_layer": {
// CHECK:        "destinations": [
// CHECK-NEXT:    {
// CHECK-NEXT:     "layer": 0,
// CHECK-NEXT:     "enable": true

// Core 0: conv 0 (5x5, stride 2, padding 1) and IF 1 on the 2x34x34 input.
// CHECK:      "0": {
// CHECK-NEXT:   "name": "1",
// CHECK:        "input_shape": {
// CHECK-NEXT:    "size": {
// CHECK-NEXT:     "x": 34,
// CHECK-NEXT:     "y": 34
// CHECK-NEXT:    },
// CHECK-NEXT:    "feature_count": 2
// CHECK:        "kernel_size": 5
// CHECK:        "npz": "core0.weights",
// CHECK:        "layout": "[out][in][x][y]"
// CHECK:        "threshold_high": 72,
// CHECK-NEXT:   "threshold_low": -32768,
// CHECK-NEXT:   "return_to_zero": false,
// CHECK-NEXT:   "leak_enable": false,
// CHECK-NEXT:   "monitor_enable": false,
// CHECK-NEXT:   "destinations": [
// CHECK-NEXT:    {
// CHECK-NEXT:     "layer": 1,
// CHECK-NEXT:     "enable": true,
// CHECK-NEXT:     "pooling": 1,

// Core 1 sends to core 2 through SumPool2d 4 (pooling 2); core 2 to core 3 through 7.
// CHECK:      "1": {
// CHECK:        "destinations": [
// CHECK-NEXT:    {
// CHECK-NEXT:     "layer": 2,
// CHECK-NEXT:     "enable": true,
// CHECK-NEXT:     "pooling": 2,
// CHECK:      "2": {
// CHECK:        "destinations": [
// CHECK-NEXT:    {
// CHECK-NEXT:     "layer": 3,
// CHECK-NEXT:     "enable": true,
// CHECK-NEXT:     "pooling": 2,

// Core 3: Flatten 8 and Affine 9 as a 4x4 kernel over the pooled 8x4x4 map.
// CHECK:      "3": {
// CHECK-NEXT:   "name": "10",
// CHECK:        "output_shape": {
// CHECK-NEXT:    "size": {
// CHECK-NEXT:     "x": 1,
// CHECK-NEXT:     "y": 1
// CHECK-NEXT:    },
// CHECK-NEXT:    "feature_count": 256
// CHECK:        "kernel_size": 4

// Core 4 is the readout: monitored, no destination.
// CHECK:      "4": {
// CHECK-NEXT:   "name": "12",
// CHECK:        "monitor_enable": true,
// CHECK-NEXT:   "destinations": [
// CHECK-NEXT:    {
// CHECK-NEXT:     "layer": 0,
// CHECK-NEXT:     "enable": false,
// CHECK-NOT:  "5": {

// MODEL:      %input = nir.input "input" {shape = #nir.dense<3xi64: [2, 34, 34]>} : tensor<2x34x34xf32>
// MODEL-NEXT: %n1 = speck.layer "1"(%input) {weight = #nir.dense<16x2x5x5xi8: blob
// MODEL-NEXT: %n3 = speck.layer "3"(%n1)
// MODEL-NEXT: %n6 = speck.layer "6"(%n3) {{.*}} pool = #nir.dense<2xi64: 2>
// MODEL-NEXT: %n10 = speck.layer "10"(%n6) {weight = #nir.dense<256x8x4x4xi8: blob {{.*}} pool = #nir.dense<2xi64: 2>
// MODEL-NEXT: %n12 = speck.layer "12"(%n10) {{.*}} core = 4 : i64, monitor} : tensor<256x1x1xf32> -> tensor<10x1x1xf32>
// MODEL-NEXT: %n12_flatten = nir.flatten "12.flatten"(%n12)
// MODEL-NEXT: nir.output "output"(%n12_flatten)

// REPORT:     "target": "speck",
// REPORT:     "cores": [
// REPORT:       "kernel_used": 1024,
// REPORT-NEXT:  "kernel_available": 16384,
// REPORT-NEXT:  "neuron_used": 4096,
// REPORT-NEXT:  "neuron_available": 65536,
// REPORT:     "layers": [
// REPORT:       "layer": "1",
// REPORT-NEXT:  "core": 0,
// REPORT-NEXT:  "quantized": "by nirc",
// REPORT-NEXT:  "scale": 71.5369
// REPORT-NEXT:  "weight_rel_error":
