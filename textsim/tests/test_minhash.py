from __future__ import annotations

import numpy as np
import pytest

from textsim.minhash import (
    NumpyMinHasher,
    OphMinHasher,
    band_hashes,
    containment,
    jaccard,
    lsh_probability,
    make_minhasher,
    rensa_available,
    shingle_hashes,
)

BACKENDS = ["oph", "numpy"] + (["rensa"] if rensa_available() else [])


def test_auto_is_one_permutation_hashing_for_128_slots() -> None:
    assert make_minhasher("auto").scheme == "oph-dens-v1-p128-s1"
    other = "rensa" if rensa_available() else "numpy"
    assert make_minhasher("auto", num_perm=64).scheme.startswith(other)
    with pytest.raises(ValueError):
        make_minhasher("nope")
    with pytest.raises(ValueError):
        make_minhasher("oph", num_perm=64)


def test_oph_slot_is_the_smallest_hash_of_its_bin() -> None:
    rng = np.random.default_rng(3)
    x = np.unique(rng.integers(0, 2**63, 5000, dtype=np.uint64))
    sig = OphMinHasher().signature(x)
    for slot in (0, 17, 127):
        in_bin = x[(x >> np.uint64(56)) == slot]
        assert sig[slot] == int(in_bin.min()) >> 24 & 0xFFFFFFFF
    shuffled = rng.permutation(np.concatenate([x, x[:100]]))  # unsorted, with repeats
    assert np.array_equal(OphMinHasher().signature(shuffled), sig)


@pytest.mark.parametrize("size", [0, 1, 60, 700, 5000])
def test_oph_signature_of_unsorted_hashes_equals_the_sorted_reading(size: int) -> None:
    """The compiled one-pass bin minima give the signature the binary searches give."""
    rng = np.random.default_rng(size)
    x = rng.integers(0, 2**63, size, dtype=np.uint64)
    hashes = rng.permutation(np.concatenate([x, x[:size // 3]]))  # unsorted, with repeats
    hasher = OphMinHasher()
    assert np.array_equal(hasher.signature_of_hashes(hashes), hasher.signature(np.unique(x)))


def test_oph_densification_borrows_the_same_way_in_every_document() -> None:
    """Short texts leave bins empty; equal sets still get equal signatures, and similar
    sets keep agreeing on most slots (the borrowing depends on the bin, not the document)."""
    rng = np.random.default_rng(5)
    base = np.unique(rng.integers(0, 2**63, 60, dtype=np.uint64))  # about 46 of 128 bins empty
    near = np.unique(np.concatenate([base[:55], rng.integers(0, 2**63, 5, dtype=np.uint64)]))
    hasher = OphMinHasher()
    a, b = hasher.signature(base), hasher.signature(near)
    assert np.array_equal(a, hasher.signature(base.copy()))
    assert set(a.tolist()) <= {int(v) >> 24 & 0xFFFFFFFF for v in base}  # every slot is a real value
    assert np.mean(a == b) > 0.6
    one = hasher.signature(base[:1])
    assert len(set(one.tolist())) == 1  # a single shingle fills every slot


def test_exact_jaccard_and_containment() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5, 6, 7, 8], dtype=np.uint64)
    assert jaccard(a, b) == pytest.approx(2 / 8)
    assert containment(a, b) == pytest.approx(0.5)
    assert containment(b, a) == pytest.approx(2 / 6)
    assert jaccard(a[:0], b[:0]) == 0.0


def test_shingles_are_sorted_unique_5_grams() -> None:
    s = shingle_hashes("一二三四五一二三四五")
    assert s.size == 5 and np.all(np.diff(s.astype(np.float64)) > 0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_signatures_estimate_jaccard(backend: str) -> None:
    rng = np.random.default_rng(0)
    base = np.unique(rng.integers(0, 2**63, 3000, dtype=np.uint64))
    other = np.unique(np.concatenate([base[:2000], rng.integers(0, 2**63, 1000, dtype=np.uint64)]))
    sig = make_minhasher(backend, 128, 1).signatures([base, other, base[:0]])
    assert sig.shape == (3, 128) and sig.dtype == np.uint32
    estimate = float(np.mean(sig[0] == sig[1]))
    assert abs(estimate - jaccard(base, other)) < 0.15
    assert np.all(sig[2] == 0xFFFFFFFF)  # empty set: sentinel slots


@pytest.mark.parametrize("backend", BACKENDS)
def test_signatures_are_stable_between_instances(backend: str) -> None:
    s = shingle_hashes("认真落实全面从严治党主体责任，持续深化作风建设")
    assert np.array_equal(make_minhasher(backend).signatures([s]), make_minhasher(backend).signatures([s]))


def test_numpy_backend_chunks_long_inputs_consistently() -> None:
    rng = np.random.default_rng(1)
    x = np.unique(rng.integers(0, 2**63, 10000, dtype=np.uint64))
    mh = NumpyMinHasher()
    whole = mh.signatures([x])[0]
    manual = ((x[:, None] * mh._a[None, :] + mh._b[None, :]) >> np.uint64(32)).min(axis=0)
    assert np.array_equal(whole, manual.astype(np.uint32))


def test_bands() -> None:
    sig = np.arange(128, dtype=np.uint32)
    bands = band_hashes(sig)
    assert bands.shape == (32,) and len(set(bands.tolist())) == 32
    changed = sig.copy()
    changed[5] += 1  # slot 5 belongs to band 1
    diff = band_hashes(changed) != bands
    assert diff.tolist() == [i == 1 for i in range(32)]
    with pytest.raises(ValueError):
        band_hashes(sig[:100])
    assert lsh_probability(0.8) > 0.99 and lsh_probability(0.2) < 0.05


def test_band_hashes_many_equals_one_row_at_a_time() -> None:
    from textsim.minhash import band_hashes_many

    sigs = np.random.default_rng(3).integers(0, 2**32, (5, 128), dtype=np.uint64).astype(np.uint32)
    many = band_hashes_many(sigs)
    assert many.shape == (5, 32)
    for row, sig in zip(many, sigs, strict=True):
        assert row.tolist() == band_hashes(sig).tolist()
