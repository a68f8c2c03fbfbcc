// The toy plugin's rewrites, in nirc's pattern language (docs/patterns.md): a clamp
// to [<= 0, >= 1] of a neuron's single spikes (0 or 1) lets them all through.
pattern toy-drop-clamp-of-spikes {
    match n: (snn.leaky | snn.synaptic | snn.rleaky | snn.rsynaptic) -> c: toy.clamp
    where n.output == "spikes", not exists(n.multi_spike), all(c.lo <= 0), all(c.hi >= 1)
    erase c
}
