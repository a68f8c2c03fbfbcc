// REQUIRES: nir-reference
// .nir files written by nirc read back with the reference `nir` package
// (Inputs/dump_reference.py prints its view: one line per node, then the edges in
// file order) exactly as the original corpus files do.

// RUN: nir-translate --import-nir %corpus/cnn_sinabs.nir -o %t.cnn.mlir
// RUN: nir-translate --export-nir %t.cnn.mlir -o %t.cnn.nir
// RUN: python %S/Inputs/dump_reference.py %corpus/cnn_sinabs.nir > %t.cnn.orig.txt
// RUN: python %S/Inputs/dump_reference.py %t.cnn.nir > %t.cnn.nirc.txt
// RUN: diff %t.cnn.orig.txt %t.cnn.nirc.txt
// RUN: filecheck %s --check-prefix=CNN --match-full-lines --input-file %t.cnn.nirc.txt
// CNN:      0 Conv2d weight=(16, 2, 5, 5) stride=[2, 2] padding=[1, 1] input_shape=[34, 34]
// CNN-NEXT: 1 IF r=(16, 16, 16) v_reset=(16, 16, 16)
// CNN-NEXT: 2 Conv2d weight=(16, 16, 3, 3) stride=[1, 1] padding=[1, 1] input_shape=[16, 16]
// CNN-NEXT: 3 IF r=(16, 16, 16) v_reset=(16, 16, 16)
// CNN-NEXT: 4 SumPool2d kernel_size=[2, 2]
// CNN-NEXT: 5 Conv2d weight=(8, 16, 3, 3) stride=[1, 1] padding=[1, 1] input_shape=[8, 8]
// CNN-NEXT: 6 IF r=(8, 8, 8) v_reset=(8, 8, 8)
// CNN-NEXT: 7 SumPool2d kernel_size=[2, 2]
// CNN-NEXT: 8 Flatten start_dim=0 end_dim=-1
// CNN-NEXT: 9 Affine weight=(256, 128) bias=(256,)
// CNN-NEXT: 10 IF r=(256,) v_reset=(256,)
// CNN-NEXT: 11 Affine weight=(10, 256) bias=(10,)
// CNN-NEXT: 12 IF r=(10,) v_reset=(10,)
// CNN-NEXT: input Input shape=[2, 34, 34]
// CNN-NEXT: output Output shape=[10]
// CNN-NEXT: edges: 8->9 11->12 5->6 0->1 9->10 12->output 4->5 3->4 2->3 input->0 6->7 1->2 7->8 10->11
// CNN-NOT: {{.}}

// The recurrent braille network: the file's edge order survives the round trip.
// RUN: nir-translate --import-nir %corpus/braille_noDelay_bias_zero.nir -o %t.braille.mlir
// RUN: nir-translate --export-nir %t.braille.mlir -o %t.braille.nir
// RUN: python %S/Inputs/dump_reference.py %corpus/braille_noDelay_bias_zero.nir > %t.braille.orig.txt
// RUN: python %S/Inputs/dump_reference.py %t.braille.nir > %t.braille.nirc.txt
// RUN: diff %t.braille.orig.txt %t.braille.nirc.txt
// RUN: filecheck %s --check-prefix=BRAILLE --match-full-lines --input-file %t.braille.nirc.txt
// BRAILLE:      fc1 Affine weight=(38, 12) bias=(38,)
// BRAILLE-NEXT: fc2 Affine weight=(7, 38) bias=(7,)
// BRAILLE-NEXT: lif2 CubaLIF tau_mem=(7,) v_reset=(7,) w_in=(7,)
// BRAILLE-NEXT: input Input shape=[12]
// BRAILLE-NEXT: output Output shape=[7]
// BRAILLE-NEXT: lif1.lif CubaLIF tau_mem=(38,) v_reset=(38,) w_in=(38,)
// BRAILLE-NEXT: lif1.w_rec Affine weight=(38, 38) bias=(38,)
// BRAILLE-NEXT: edges: lif1.w_rec->lif1.lif lif2->output fc2->lif2 input->fc1 lif1.lif->lif1.w_rec fc1->lif1.lif lif1.lif->fc2
// BRAILLE-NOT: {{.}}

// RUN: nir-translate --import-nir %corpus/braille_noDelay_noBias_subtract.nir -o %t.nobias.mlir
// RUN: nir-translate --export-nir %t.nobias.mlir -o %t.nobias.nir
// RUN: python %S/Inputs/dump_reference.py %corpus/braille_noDelay_noBias_subtract.nir > %t.nobias.orig.txt
// RUN: python %S/Inputs/dump_reference.py %t.nobias.nir > %t.nobias.nirc.txt
// RUN: diff %t.nobias.orig.txt %t.nobias.nirc.txt

// RUN: nir-translate --import-nir %corpus/lif_norse.nir -o %t.norse.mlir
// RUN: nir-translate --export-nir %t.norse.mlir -o %t.norse.nir
// RUN: python %S/Inputs/dump_reference.py %corpus/lif_norse.nir > %t.norse.orig.txt
// RUN: python %S/Inputs/dump_reference.py %t.norse.nir > %t.norse.nirc.txt
// RUN: diff %t.norse.orig.txt %t.norse.nirc.txt

// RUN: nir-translate --import-nir %corpus/two_lif_neurons.nir -o %t.two.mlir
// RUN: nir-translate --export-nir %t.two.mlir -o %t.two.nir
// RUN: python %S/Inputs/dump_reference.py %corpus/two_lif_neurons.nir > %t.two.orig.txt
// RUN: python %S/Inputs/dump_reference.py %t.two.nir > %t.two.nirc.txt
// RUN: diff %t.two.orig.txt %t.two.nirc.txt

// lif_rockpool's Output declares [1, 1, 1] for a [1] signal: the reference package
// rejects the original, but reads the file nirc writes (shape repaired to [1]).
// RUN: not python %S/Inputs/dump_reference.py %corpus/lif_rockpool.nir 2>&1 | filecheck %s --check-prefix=ROCK-ORIG
// ROCK-ORIG: ValueError: Type inference error: type mismatch: 1_LIFNeuronTorch.output: {{.*}} -> output.input: {{.*}}
// RUN: nir-translate --import-nir %corpus/lif_rockpool.nir -o %t.rock.mlir
// RUN: nir-translate --export-nir %t.rock.mlir -o %t.rock.nir
// RUN: python %S/Inputs/dump_reference.py %t.rock.nir | filecheck %s --check-prefix=ROCK --match-full-lines
// ROCK:      input Input shape=[1]
// ROCK-NEXT: output Output shape=[1]
// ROCK-NEXT: 0_LinearTorch Linear weight=(1, 1)
// ROCK-NEXT: 1_LIFNeuronTorch LIF tau=(1,) v_reset=(1,)
// ROCK-NEXT: edges: 0_LinearTorch->1_LIFNeuronTorch 1_LIFNeuronTorch->output input->0_LinearTorch
