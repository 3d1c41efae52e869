"""Qt widgets and screens. Presents and forwards taps; holds no business rules."""
