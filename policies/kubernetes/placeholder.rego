package paved.placeholder
