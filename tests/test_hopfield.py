"""Tests of neuronet.hopfield against hand computations and the network's defining properties."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuronet.hopfield import Hopfield, Recall, add_noise, capacity_curve, letters, overlap


def random_patterns(p, n, seed):
    return np.random.default_rng(seed).choice([-1, 1], size=(p, n))


def hadamard(n):
    """Sylvester's construction: n mutually orthogonal -1/+1 rows (n a power of two)."""
    h = np.array([[1]])
    while len(h) < n:
        h = np.block([[h, h], [h, -h]])
    return h


def field(patterns, s):
    """Local fields from the pattern overlaps, h_i = (sum_mu xi_i (xi . s) - p s_i) / n.

    This is W s written without W (the - p s_i removes the self-connections), so it is an
    independent reference for the weight matrix the network builds.
    """
    patterns = np.asarray(patterns)
    p, n = patterns.shape
    return (patterns.T @ (patterns @ s) - p * s) / n


def energy(patterns, s):
    return -0.5 * float(s @ field(patterns, s))


def is_equilibrium(patterns, s):
    h = field(patterns, s)
    return bool(np.all((h == 0) | (np.sign(h) == s)))


# --- weights --------------------------------------------------------------------------------------


def test_weights_follow_the_hebbian_rule_by_hand():
    xi = np.array([[1, -1, 1], [1, 1, -1]])
    net = Hopfield(3)
    net.store(xi)
    # W_01 = (1*-1 + 1*1)/3 = 0, W_02 = (1*1 + 1*-1)/3 = 0, W_12 = (-1*1 + 1*-1)/3 = -2/3.
    expected = np.array([[0, 0, 0], [0, 0, -2 / 3], [0, -2 / 3, 0]])
    np.testing.assert_allclose(net.weights, expected, rtol=0, atol=1e-15)
    assert net.n_patterns == 2


def test_weights_are_symmetric_with_zero_diagonal_and_match_the_outer_product_sum():
    xi = random_patterns(7, 40, seed=1)
    net = Hopfield(40)
    net.store(xi)
    w = net.weights
    np.testing.assert_array_equal(w, w.T)
    np.testing.assert_array_equal(np.diag(w), np.zeros(40))
    reference = sum(np.outer(x, x) for x in xi) / 40
    np.fill_diagonal(reference, 0)
    np.testing.assert_allclose(w, reference, rtol=0, atol=1e-14)


def test_storing_adds_to_existing_memories():
    xi = random_patterns(5, 30, seed=2)
    one_go, two_goes = Hopfield(30), Hopfield(30)
    one_go.store(xi)
    two_goes.store(xi[:2])
    two_goes.store(xi[2:])
    np.testing.assert_array_equal(two_goes.weights, one_go.weights)
    np.testing.assert_array_equal(two_goes.patterns, xi)
    assert two_goes.n_patterns == 5


def test_a_single_pattern_vector_is_accepted():
    net = Hopfield(4)
    net.store([1, -1, -1, 1])
    assert net.n_patterns == 1
    assert net.weights[0, 3] == pytest.approx(0.25)


# --- energy and single updates --------------------------------------------------------------------


def test_energy_by_hand():
    net = Hopfield(3)
    net.store([[1, -1, 1], [1, 1, -1]])
    # Only W_12 = W_21 = -2/3 is non-zero: E = -1/2 * 2 * W_12 s_1 s_2 = (2/3) s_1 s_2.
    assert net.energy([1, 1, 1]) == pytest.approx(2 / 3)
    assert net.energy([1, 1, -1]) == pytest.approx(-2 / 3)


def test_update_takes_the_sign_of_the_local_field():
    net = Hopfield(4)
    net.store([1, -1, 1, -1])
    # h_1 = (xi_1 xi_0 s_0 + xi_1 xi_2 s_2 + xi_1 xi_3 s_3)/4 = (-1 - 1 - 1)/4 < 0.
    state = np.array([1, 1, 1, -1])
    new = net.update(state, 1)
    np.testing.assert_array_equal(new, [1, -1, 1, -1])
    np.testing.assert_array_equal(state, [1, 1, 1, -1])  # the input is not modified


def test_a_tie_keeps_the_current_value():
    net = Hopfield(3)
    # Unit 0 agrees with unit 1 in one pattern and disagrees in the other: W_0j = 0, h_0 = 0.
    net.store([[1, 1, 1], [1, -1, -1]])
    for s0 in (-1, 1):
        state = np.array([s0, 1, 1])
        np.testing.assert_array_equal(net.update(state, 0), state)


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(2, 25),
    p=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
)
def test_energy_never_increases_and_drops_when_a_unit_flips(n, p, seed):
    rng = np.random.default_rng(seed)
    xi = rng.choice([-1, 1], size=(p, n))
    net = Hopfield(n)
    net.store(xi)
    s = rng.choice([-1, 1], size=n)
    e = energy(xi, s)
    for i in rng.integers(0, n, size=5 * n):
        h_i = field(xi, s)[i]
        new = net.update(s, i)
        e_new = energy(xi, new)
        assert np.array_equal(np.delete(new, i), np.delete(s, i))  # only unit i may change
        assert new[i] == (s[i] if h_i == 0 else np.sign(h_i))
        assert e_new <= e + 1e-12
        if new[i] != s[i]:
            assert e_new == pytest.approx(e - 2 * abs(h_i), abs=1e-12)  # dE = -ds_i h_i
        s, e = new, e_new


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 40), p=st.integers(1, 8), seed=st.integers(0, 2**32 - 1))
def test_recall_energies_never_increase_and_end_in_an_equilibrium(n, p, seed):
    rng = np.random.default_rng(seed)
    xi = rng.choice([-1, 1], size=(p, n))
    net = Hopfield(n)
    net.store(xi)
    start = rng.choice([-1, 1], size=n)
    result = net.recall(start, seed=seed, return_energies=True)
    assert isinstance(result, Recall)
    assert result.converged
    assert is_equilibrium(xi, result.state)
    assert len(result.energies) == 1 + n * result.sweeps
    assert np.all(np.diff(result.energies) <= 1e-12)
    assert result.energies[0] == pytest.approx(energy(xi, start), abs=1e-12)
    assert result.energies[-1] == pytest.approx(energy(xi, result.state), abs=1e-12)
    # the last sweep is the one that changed nothing
    assert np.all(result.energies[-(n + 1) :] == result.energies[-1])


# --- memories -------------------------------------------------------------------------------------


def test_orthogonal_patterns_and_their_negations_are_fixed_points():
    xi = hadamard(32)[[1, 5, 10, 22]]
    net = Hopfield(32)
    net.store(xi)
    for pattern in np.concatenate([xi, -xi]):  # -xi: a spurious memory nobody stored
        for i in range(32):
            np.testing.assert_array_equal(net.update(pattern, i), pattern)
        result = net.recall(pattern, seed=0, return_energies=True)
        np.testing.assert_array_equal(result.state, pattern)
        assert result.sweeps == 1 and result.converged
        assert net.is_fixed_point(pattern)
        # For orthogonal patterns W xi = (1 - p/n) xi, so E(xi) = -(n - p)/2.
        assert net.energy(pattern) == pytest.approx(-(32 - 4) / 2)


def test_a_state_that_is_not_an_equilibrium_is_reported_as_such():
    xi = hadamard(16)[[1, 2]]
    net = Hopfield(16)
    net.store(xi)
    mixed = xi[0].copy()
    mixed[:3] *= -1
    assert not is_equilibrium(xi, mixed)
    assert not net.is_fixed_point(mixed)


@pytest.mark.parametrize("noise", [0.1, 0.15, 0.2])
def test_recall_from_a_noisy_cue_returns_the_stored_pattern(noise):
    xi = random_patterns(4, 100, seed=3)  # load 0.04, far below capacity
    net = Hopfield(100)
    net.store(xi)
    for k, pattern in enumerate(xi):
        for trial in range(5):
            cue = add_noise(pattern, noise, seed=100 * k + trial)
            assert overlap(cue, pattern) == pytest.approx(1 - 2 * round(noise * 100) / 100)
            result = net.recall(cue, seed=trial)
            np.testing.assert_array_equal(result.state, pattern)
            assert result.converged


def test_letters_are_remembered_and_recalled_from_noise():
    images = letters()
    assert len(images) >= 4
    xi = np.array([img.ravel() for img in images.values()])
    assert all(img.shape == (10, 10) for img in images.values())
    assert set(np.unique(xi)) == {-1, 1}
    assert len({tuple(x) for x in xi}) == len(xi)  # all different
    net = Hopfield(100)
    net.store(xi)
    for k, pattern in enumerate(xi):
        assert is_equilibrium(xi, pattern)
        cue = add_noise(pattern, 0.1, seed=k)
        np.testing.assert_array_equal(net.recall(cue, seed=k).state, pattern)


def test_letters_are_drawn_as_their_shapes():
    t = letters()["T"]
    assert np.all(t[0] == 1)  # the bar of the T
    assert np.all(t[:, 4:6] == 1)  # its stem
    assert t[5, 0] == -1 and t[5, 9] == -1
    letters()["T"][0, 0] = -1  # each call returns new arrays
    assert letters()["T"][0, 0] == 1


def test_recall_is_reproducible_with_a_seed_and_stops_at_max_sweeps():
    xi = random_patterns(3, 60, seed=4)
    net = Hopfield(60)
    net.store(xi)
    start = -add_noise(xi[0], 0.5, seed=0)
    a = net.recall(start, seed=7, return_energies=True)
    b = net.recall(start, seed=7, return_energies=True)
    np.testing.assert_array_equal(a.state, b.state)
    np.testing.assert_array_equal(a.energies, b.energies)
    assert net.recall(start, seed=7).energies is None
    # the update order is random: other seeds take other paths downhill
    traces = {tuple(net.recall(start, seed=k, return_energies=True).energies) for k in range(5)}
    assert len(traces) > 1
    short = net.recall(start, max_sweeps=1, seed=7)
    assert short.sweeps == 1 and not short.converged


def test_capacity_high_at_small_load_and_low_at_large_load():
    # Exact recall of a typical pattern needs p below about n / (2 ln n) = 10.9 for n = 100;
    # at 0.3 n, beyond even the 0.138 n limit for approximate recall, almost nothing survives.
    fractions = capacity_curve(100, [5, 30], trials=10, noise=0.1, seed=0)
    assert fractions.shape == (2,)
    assert fractions[0] >= 0.95
    assert fractions[1] <= 0.2


# --- helpers --------------------------------------------------------------------------------------


def test_add_noise_flips_exactly_the_rounded_number_of_units():
    pattern = random_patterns(1, 50, seed=5)[0]
    for fraction, flips in [(0.0, 0), (0.1, 5), (0.138, 7), (0.5, 25), (1.0, 50)]:
        noisy = add_noise(pattern, fraction, seed=1)
        assert np.sum(noisy != pattern) == flips
    np.testing.assert_array_equal(add_noise(pattern, 1.0, seed=0), -pattern)
    image = letters()["H"]
    noisy_image = add_noise(image, 0.2, seed=2)
    assert noisy_image.shape == (10, 10) and np.sum(noisy_image != image) == 20
    np.testing.assert_array_equal(add_noise(pattern, 0.3, seed=3), add_noise(pattern, 0.3, seed=3))


def test_overlap_by_hand():
    a = np.array([1, 1, -1, -1])
    assert overlap(a, a) == 1.0
    assert overlap(a, -a) == -1.0
    assert overlap(a, [1, -1, -1, 1]) == 0.0
    assert overlap(a, [1, 1, -1, 1]) == 0.5


# --- errors ---------------------------------------------------------------------------------------


def test_non_spin_values_are_refused():
    net = Hopfield(4)
    with pytest.raises(ValueError, match=r"patterns must contain only -1 and \+1.*2 \* x - 1"):
        net.store([[0, 1, 1, 0]])
    net.store([1, 1, -1, -1])
    with pytest.raises(ValueError, match=r"state must contain only -1 and \+1.*0.5"):
        net.recall([1, 0.5, -1, -1])
    with pytest.raises(ValueError, match=r"state must contain only -1 and \+1"):
        net.energy([1, 1, 2, -1])
    with pytest.raises(ValueError, match="pattern must contain only -1 and"):
        add_noise([0, 1], 0.5)
    with pytest.raises(ValueError, match="b must contain only -1 and"):
        overlap([1, -1], [1, 0])


def test_wrong_shapes_are_refused():
    net = Hopfield(4)
    with pytest.raises(ValueError, match=r"patterns must have shape \(p, 4\).*got shape \(2, 3\)"):
        net.store(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"patterns must have shape \(p, 4\).*got shape \(0, 4\)"):
        net.store(np.ones((0, 4)))
    with pytest.raises(ValueError, match=r"1-D vector of 4 values, got shape \(2, 2\); flatten"):
        net.recall(np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"1-D vector of 4 values, got shape \(5,\)"):
        net.update(np.ones(5), 0)
    with pytest.raises(ValueError, match="a and b must be non-empty with the same shape"):
        overlap([1, 1], [1, 1, 1])


def test_bad_parameters_are_refused():
    net = Hopfield(4)
    with pytest.raises(ValueError, match="n_units must be a positive integer"):
        Hopfield(0)
    with pytest.raises(ValueError, match=r"unit index i must be an integer in \[0, 4\), got 4"):
        net.update([1, 1, 1, 1], 4)
    with pytest.raises(ValueError, match="max_sweeps must be a positive integer"):
        net.recall([1, 1, 1, 1], max_sweeps=0)
    with pytest.raises(ValueError, match=r"flip_fraction must be in \[0, 1\], got 1.5"):
        add_noise([1, -1], 1.5)
    with pytest.raises(ValueError, match=r"noise must be a number in \[0, 1\]"):
        capacity_curve(10, [1], noise=-0.1)
    with pytest.raises(ValueError, match="each pattern count must be a positive integer"):
        capacity_curve(10, [0, 2])
