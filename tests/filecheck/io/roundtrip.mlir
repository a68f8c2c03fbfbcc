// .nir -> .mlir -> .nir -> .mlir gives the same text, byte for byte, for every
// well-formed file of the corpus: node order, SSA names, edge order (edge_ids),
// dtypes, splats and blob keys all survive export.  The exported file is complete
// NIR 1.0 (v_reset written out, Output shapes repaired), so reading it warns nothing.

// RUN: nir-translate --import-nir %corpus/cnn_sinabs.nir -o %t.cnn.1.mlir
// RUN: nir-translate --export-nir %t.cnn.1.mlir -o %t.cnn.nir
// RUN: nir-translate --import-nir %t.cnn.nir -o %t.cnn.2.mlir
// RUN: diff %t.cnn.1.mlir %t.cnn.2.mlir

// RUN: nir-translate --import-nir %corpus/braille_noDelay_bias_zero.nir -o %t.braille.1.mlir
// RUN: nir-translate --export-nir %t.braille.1.mlir -o %t.braille.nir
// RUN: nir-translate --import-nir %t.braille.nir -o %t.braille.2.mlir
// RUN: diff %t.braille.1.mlir %t.braille.2.mlir

// RUN: nir-translate --import-nir %corpus/braille_noDelay_noBias_subtract.nir -o %t.nobias.1.mlir
// RUN: nir-translate --export-nir %t.nobias.1.mlir -o %t.nobias.nir
// RUN: nir-translate --import-nir %t.nobias.nir -o %t.nobias.2.mlir
// RUN: diff %t.nobias.1.mlir %t.nobias.2.mlir

// RUN: nir-translate --import-nir %corpus/lif_rockpool.nir -o %t.rock.1.mlir
// RUN: nir-translate --export-nir %t.rock.1.mlir -o %t.rock.nir --compression=none
// RUN: nir-translate --import-nir %t.rock.nir -o %t.rock.2.mlir
// RUN: diff %t.rock.1.mlir %t.rock.2.mlir

// RUN: nir-translate --import-nir %corpus/two_lif_neurons.nir -o %t.two.1.mlir
// RUN: nir-translate --export-nir %t.two.1.mlir -o %t.two.nir --compression=lzf
// RUN: nir-translate --import-nir %t.two.nir -o %t.two.2.mlir
// RUN: diff %t.two.1.mlir %t.two.2.mlir

// nir-opt reads and writes .nir too (by extension); the same chain through nir-opt.
// RUN: nir-opt %corpus/lif_norse.nir -o %t.norse.1.mlir
// RUN: nir-opt %t.norse.1.mlir -o %t.norse.nir
// RUN: nir-opt %t.norse.nir -o %t.norse.2.mlir
// RUN: diff %t.norse.1.mlir %t.norse.2.mlir

// Text with blobs inline (--blob-threshold=-1) exports the same model.
// RUN: nir-translate --import-nir %corpus/cnn_sinabs.nir --blob-threshold=-1 -o %t.cnn.inline.mlir
// RUN: nir-translate --export-nir %t.cnn.inline.mlir -o %t.cnn.inline.nir
// RUN: nir-translate --import-nir %t.cnn.inline.nir -o %t.cnn.3.mlir
// RUN: diff %t.cnn.1.mlir %t.cnn.3.mlir

// Exported files are complete: no legacy warnings when they are read back.
// RUN: nir-translate --import-nir %t.cnn.nir 2>&1 | filecheck %s --check-prefix=QUIET
// RUN: nir-translate --import-nir %t.rock.nir 2>&1 | filecheck %s --check-prefix=QUIET
// RUN: nir-translate --import-nir %t.norse.nir 2>&1 | filecheck %s --check-prefix=QUIET
// QUIET-NOT: warning
// QUIET:     builtin.module {
// QUIET-NOT: warning
