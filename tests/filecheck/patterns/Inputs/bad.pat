pattern typo {
    match a: nir.linear -> b: nir.linaer
    erase b
}
