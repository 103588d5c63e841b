"""Test machinery written once: a small world of regions, units, cadres and users, and the
generated page/API/permission tests every Resource gets by declaring a `ResourceSpec`."""
