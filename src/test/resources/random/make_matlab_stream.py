#!/usr/bin/env python3
"""Writes matlab-stream.csv: reference uniforms for MatlabTwisterTest.

numpy's legacy RandomState(seed) seeds MT19937 with init_genrand(seed) and
random_sample() is genrand_res53, i.e. the same stream as MATLAB's
rng(seed); rand. Values are written with repr() so they parse back bit-exact.
Run from this directory: python3 make_matlab_stream.py
"""
import os

import numpy

SEEDS = [0, 1, 42, 4294967295]
COUNT = 2000

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "matlab-stream.csv")
with open(out, "w", newline="\n") as f:
    f.write("# seed,index,value  (numpy %s RandomState(seed).random_sample())\n"
            % numpy.__version__)
    for seed in SEEDS:
        values = numpy.random.RandomState(seed).random_sample(COUNT)
        for i, v in enumerate(values):
            # float() drops numpy's "np.float64(...)" repr wrapper.
            f.write("%d,%d,%s\n" % (seed, i, repr(float(v))))
