"""Kernels: numpy (and compiled) simulations of the dynamics the papers study.

This package is the bottom layer: it imports numpy and scipy only, never ``checks`` or ``theory``.
"""
