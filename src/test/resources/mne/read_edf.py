"""Reads an EDF+ file with MNE-Python and prints what the Java test compares, as JSON on stdout."""
import json
import sys
import warnings

warnings.simplefilter("ignore")
import mne  # noqa: E402

raw = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose="error")
json.dump({
    "mne_version": mne.__version__,
    "ch_names": raw.ch_names,
    "sfreq": raw.info["sfreq"],
    "n_times": int(raw.n_times),
    "units": [raw._orig_units.get(name, "") for name in raw.ch_names],
    "data": raw.get_data().tolist(),
    "annotations": [[float(a["onset"]), float(a["duration"]), a["description"]] for a in raw.annotations],
}, sys.stdout)
