// What one Speck core computes (docs/targets/speck.md): the sum pooling its source's
// destination applies, a Flatten of a whole feature map where a Linear reads one, a
// Conv2d or a Linear/Affine, and the integrate-and-fire neurons right after it.  The
// source is the chip's input or another core.  rules.py turns a failure into the
// rule it breaks (speck-layer, speck-fan-in).

// A core's input side: its source, the source's pooling, the weights.
chain core-input {
    source: (nir.input | snn.leaky | speck.layer)
       -> pools: (nir.sum_pool2d | nir.avg_pool2d)*
       -> flatten: nir.flatten?
       -> weight: (nir.conv2d | nir.linear | nir.affine)
}

// Every neuron ends a core.
legal speck-layer {
    match @core-input -> neurons: snn.leaky
    where all(kind(readers(weight)) == "snn.leaky")
    message "a core computes pooling -> (Flatten) -> Conv2d or Linear/Affine -> IF neurons"
}

// The weights of neurons that read several (each checked, though the neurons break
// speck-fan-in).
legal speck-core-input {
    match @core-input
    message "a core reads the input or another core through pooling and (Flatten)"
}
