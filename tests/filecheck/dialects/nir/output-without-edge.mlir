// An Output with no incoming edge has no type to print, and reads back.

// RUN: nir-opt %s | nir-opt | filecheck %s

nir.graph {
  nir.output "o" {shape = #nir.dense<1xi64: [5]>}
}
// CHECK: nir.output "o" {shape = #nir.dense<1xi64: [5]>}{{$}}
