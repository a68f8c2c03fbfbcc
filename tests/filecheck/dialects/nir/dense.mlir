// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s -o %t.1.mlir && nir-opt %t.1.mlir -o %t.2.mlir && diff %t.1.mlir %t.2.mlir
// RUN: nir-opt %s --blob-threshold=-1 | filecheck %s --check-prefix=INLINE
// RUN: nir-opt %s --blob-threshold=-1 | nir-opt | filecheck %s --match-full-lines

// #nir.dense: every element type (f16, f32, f64, i8..i64, ui8..ui64, i1), 0-d
// scalars, splats, empty tensors, non-finite floats (printed as their bit pattern in
// hex, as mlir-opt does; allowed in metadata, rejected in parameters), and tensors
// with more than 64 elements, printed as blobs in a trailing dialect_resources
// section (one blob per distinct tensor, keyed by a content hash).

// CHECK:      builtin.module {
// CHECK-NEXT: nir.graph <{metadata = {f16 = #nir.dense<3xf16: [0.1, -2.5, 6.55e+04]>, f32 = #nir.dense<3xf32: [0.1, 1.0e-45, 3.4028235e+38]>, f64 = #nir.dense<3xf64: [0.1, 1.0e-300, -0.0]>, i8 = #nir.dense<2xi8: [-128, 127]>, i16 = #nir.dense<2xi16: [-32768, 32767]>, i32 = #nir.dense<2xi32: [-2147483648, 2147483647]>, i64 = #nir.dense<2xi64: [-9223372036854775808, 9223372036854775807]>, ui8 = #nir.dense<2xui8: [0, 255]>, ui16 = #nir.dense<2xui16: [0, 65535]>, ui32 = #nir.dense<2xui32: [0, 4294967295]>, ui64 = #nir.dense<2xui64: [0, 18446744073709551615]>, i1 = #nir.dense<3xi1: [true, false, true]>}}> {
nir.graph <{metadata = {f16 = #nir.dense<3xf16: [0.1, -2.5, 65504.0]>, f32 = #nir.dense<3xf32: [0.1, 1.0e-45, 3.4028235e38]>, f64 = #nir.dense<3xf64: [0.1, 1.0e-300, -0.0]>, i8 = #nir.dense<2xi8: [-128, 127]>, i16 = #nir.dense<2xi16: [-32768, 32767]>, i32 = #nir.dense<2xi32: [-2147483648, 2147483647]>, i64 = #nir.dense<2xi64: [-9223372036854775808, 9223372036854775807]>, ui8 = #nir.dense<2xui8: [0, 255]>, ui16 = #nir.dense<2xui16: [0, 65535]>, ui32 = #nir.dense<2xui32: [0, 4294967295]>, ui64 = #nir.dense<2xui64: [0, 18446744073709551615]>, i1 = #nir.dense<3xi1: [true, false, true]>}}> {
  // CHECK-NEXT: %x = nir.input "x" {shape = #nir.dense<1xi64: [8]>, metadata = {s_f16 = #nir.dense<f16: 1.0>, s_f32 = #nir.dense<f32: 2.5>, s_f64 = #nir.dense<f64: -1.0e-07>, s_i8 = #nir.dense<i8: -1>, s_i16 = #nir.dense<i16: 300>, s_i32 = #nir.dense<i32: 70000>, s_i64 = #nir.dense<i64: -7>, s_ui8 = #nir.dense<ui8: 200>, s_ui16 = #nir.dense<ui16: 60000>, s_ui32 = #nir.dense<ui32: 4000000000>, s_ui64 = #nir.dense<ui64: 10000000000000000000>, s_i1 = #nir.dense<i1: false>}} : tensor<8xf32>
  %x = nir.input "x" {shape = #nir.dense<1xi64: [8]>, metadata = {s_f16 = #nir.dense<f16: 1.0>, s_f32 = #nir.dense<f32: 2.5>, s_f64 = #nir.dense<f64: -1.0e-07>, s_i8 = #nir.dense<i8: -1>, s_i16 = #nir.dense<i16: 300>, s_i32 = #nir.dense<i32: 70000>, s_i64 = #nir.dense<i64: -7>, s_ui8 = #nir.dense<ui8: 200>, s_ui16 = #nir.dense<ui16: 60000>, s_ui32 = #nir.dense<ui32: 4000000000>, s_ui64 = #nir.dense<ui64: 10000000000000000000>, s_i1 = #nir.dense<i1: false>}} : tensor<8xf32>
  // CHECK-NEXT: %nf = nir.input "nonfinite" {shape = #nir.dense<1xi64: [8]>, metadata = {f32 = #nir.dense<4xf32: [0x7F800000, 0xFF800000, 0x7FC00000, 1.0]>, f64 = #nir.dense<2xf64: [0x7FF0000000000000, 0xFFF8000000000000]>, f16 = #nir.dense<f16: 0xFC00>, splat_inf = #nir.dense<3xf32: 0x7F800000>}} : tensor<8xf32>
  %nf = nir.input "nonfinite" {shape = #nir.dense<1xi64: [8]>, metadata = {f32 = #nir.dense<4xf32: [0x7F800000, 0xFF800000, 0x7FC00000, 1.0]>, f64 = #nir.dense<2xf64: [0x7FF0000000000000, 0xFFF8000000000000]>, f16 = #nir.dense<f16: 0xFC00>, splat_inf = #nir.dense<3xf32: 0x7F800000>}} : tensor<8xf32>
  // CHECK-NEXT: %sh = nir.input "shapes" {shape = #nir.dense<1xi64: [8]>, metadata = {splat = #nir.dense<2x3xi32: 7>, splat_list = #nir.dense<2x2xf64: 0.5>, one = #nir.dense<1xf32: [3.0]>, empty = #nir.dense<0xf32: []>, empty2 = #nir.dense<2x0xi64: []>, mat = #nir.dense<2x2x1xi8: [1, 2, 3, 4]>, neg_zero = #nir.dense<2xf32: [0.0, -0.0]>, exp = #nir.dense<3xf32: [1.0e+20, 1.5e-20, 123456.0]>}} : tensor<8xf32>
  %sh = nir.input "shapes" {shape = #nir.dense<1xi64: [8]>, metadata = {splat = #nir.dense<2x3xi32: 7>, splat_list = #nir.dense<2x2xf64: [0.5, 0.5, 0.5, 0.5]>, one = #nir.dense<1xf32: [3.0]>, empty = #nir.dense<0xf32: []>, empty2 = #nir.dense<2x0xi64: []>, mat = #nir.dense<2x2x1xi8: [1, 2, 3, 4]>, neg_zero = #nir.dense<2xf32: [0.0, -0.0]>, exp = #nir.dense<3xf32: [1.0e20, 1.5e-20, 123456.0]>}} : tensor<8xf32>
  // 72 distinct elements: a blob.  The same tensor twice shares one blob.
  // CHECK-NEXT: %fc = nir.linear "fc"(%x) {weight = #nir.dense<9x8xf32: blob "blob_e4d9e9ed3f43b797dc62">} : tensor<8xf32> -> tensor<9xf32>
  %fc = nir.linear "fc"(%x) {weight = #nir.dense<9x8xf32: [-2.0, -1.875, -1.75, -1.625, -1.5, -1.375, -1.25, -1.125, -1.0, -0.875, -0.75, -0.625, -0.5, -0.375, -0.25, -0.125, 0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875, 2.0, 2.125, 2.25, 2.375, 2.5, 2.625, 2.75, 2.875, 3.0, 3.125, 3.25, 3.375, 3.5, 3.625, 3.75, 3.875, 4.0, 4.125, 4.25, 4.375, 4.5, 4.625, 4.75, 4.875, 5.0, 5.125, 5.25, 5.375, 5.5, 5.625, 5.75, 5.875, 6.0, 6.125, 6.25, 6.375, 6.5, 6.625, 6.75, 6.875]>} : tensor<8xf32> -> tensor<9xf32>
  // CHECK-NEXT: %fc2 = nir.linear "fc2"(%x) {weight = #nir.dense<9x8xf32: blob "blob_e4d9e9ed3f43b797dc62">} : tensor<8xf32> -> tensor<9xf32>
  %fc2 = nir.linear "fc2"(%x) {weight = #nir.dense<9x8xf32: [-2.0, -1.875, -1.75, -1.625, -1.5, -1.375, -1.25, -1.125, -1.0, -0.875, -0.75, -0.625, -0.5, -0.375, -0.25, -0.125, 0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875, 2.0, 2.125, 2.25, 2.375, 2.5, 2.625, 2.75, 2.875, 3.0, 3.125, 3.25, 3.375, 3.5, 3.625, 3.75, 3.875, 4.0, 4.125, 4.25, 4.375, 4.5, 4.625, 4.75, 4.875, 5.0, 5.125, 5.25, 5.375, 5.5, 5.625, 5.75, 5.875, 6.0, 6.125, 6.25, 6.375, 6.5, 6.625, 6.75, 6.875]>} : tensor<8xf32> -> tensor<9xf32>
  // 64 elements stay inline, 65 do not; a splat is inline whatever its size.
  // CHECK-NEXT: %big = nir.scale "big" {scale = #nir.dense<8x8xi8: [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0]>, metadata = {idx = #nir.dense<65xi16: blob "blob_31c1d3edc7aa674c8ce3">, ones = #nir.dense<1000xf32: 1.0>}} : tensor<8x8xf32>
  %big = nir.scale "big" {scale = #nir.dense<8x8xi8: [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0]>, metadata = {idx = #nir.dense<65xi16: [-32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]>, ones = #nir.dense<1000xf32: 1.0>}} : tensor<8x8xf32>
  // CHECK-NEXT: nir.output "out"(%fc, %fc2) {shape = #nir.dense<1xi64: [9]>} : tensor<9xf32>
  nir.output "out"(%fc, %fc2) {shape = #nir.dense<1xi64: [9]>} : tensor<9xf32>
// CHECK-NEXT: }
}
// CHECK-NEXT: }
// CHECK-EMPTY:
// CHECK-NEXT: {-#
// CHECK-NEXT: dialect_resources: {
// CHECK-NEXT: nir: {
// CHECK-NEXT: blob_e4d9e9ed3f43b797dc62: "0x04000000000000c00000f0bf0000e0bf0000d0bf0000c0bf0000b0bf0000a0bf000090bf000080bf000060bf000040bf000020bf000000bf0000c0be000080be000000be000000000000003e0000803e0000c03e0000003f0000203f0000403f0000603f0000803f0000903f0000a03f0000b03f0000c03f0000d03f0000e03f0000f03f0000004000000840000010400000184000002040000028400000304000003840000040400000484000005040000058400000604000006840000070400000784000008040000084400000884000008c4000009040000094400000984000009c400000a0400000a4400000a8400000ac400000b0400000b4400000b8400000bc400000c0400000c4400000c8400000cc400000d0400000d4400000d8400000dc40",
// CHECK-NEXT: blob_31c1d3edc7aa674c8ce3: "0x02000000e0ffe1ffe2ffe3ffe4ffe5ffe6ffe7ffe8ffe9ffeaffebffecffedffeeffeffff0fff1fff2fff3fff4fff5fff6fff7fff8fff9fffafffbfffcfffdfffeffffff00000100020003000400050006000700080009000a000b000c000d000e000f0010001100120013001400150016001700180019001a001b001c001d001e001f002000"
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: #-}
// CHECK-NOT: {{.}}

// With --blob-threshold=-1 every tensor prints inline and there is no resource section.
// INLINE:      %fc = nir.linear "fc"(%x) {weight = #nir.dense<9x8xf32: [-2.0, -1.875, -1.75, {{.*}}, 6.75, 6.875]>} : tensor<8xf32> -> tensor<9xf32>
// INLINE-NEXT: %fc2 = nir.linear "fc2"(%x) {weight = #nir.dense<9x8xf32: [-2.0, -1.875, -1.75, {{.*}}, 6.75, 6.875]>} : tensor<8xf32> -> tensor<9xf32>
// INLINE-NEXT: %big = nir.scale "big" {{.*}} metadata = {idx = #nir.dense<65xi16: [-32, -31, {{.*}}, 31, 32]>, ones = #nir.dense<1000xf32: 1.0>}} : tensor<8x8xf32>
// INLINE-NOT: blob
// INLINE-NOT: dialect_resources
