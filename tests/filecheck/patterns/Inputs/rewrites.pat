// Linear after Linear is one Linear; a Scale by one is nothing.
pattern merge-linear {
    match a: nir.linear -> b: nir.linear
    where uses(a) == 1
    replace b with nir.linear(inputs(a)) { weight = b.weight @ a.weight }
}
pattern drop-unit-scale {
    match s: nir.scale
    where all(s.scale == 1), fan_in(s) == 1
    erase s
}
