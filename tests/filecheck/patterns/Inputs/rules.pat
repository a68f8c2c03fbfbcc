// Every LIF reads a Linear that reads the Input.
legal lif-reads-input {
    match nir.input -> w: nir.linear -> n: nir.lif
    message "a LIF reads a Linear of the input"
}
