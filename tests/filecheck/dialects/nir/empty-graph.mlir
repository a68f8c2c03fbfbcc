// A graph without nodes prints as an empty region and reads back (text, and a .nir
// file without nodes written by the reference package).

// RUN: nir-opt %s | filecheck %s --match-full-lines
// RUN: nir-opt %s | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s --print-op-generic | nir-opt | filecheck %s --match-full-lines
// RUN: nir-opt %s -o %t.nir && nir-translate --import-nir %t.nir | filecheck %s --match-full-lines

nir.graph {
}

// CHECK:      builtin.module {
// CHECK-NEXT:   nir.graph {
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK-NOT: {{.}}
