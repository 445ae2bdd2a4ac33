"""Making tensors: `tensor`, factories, seeds, conversions, dtype rules and creation errors,
each against what PyTorch does."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import backend

HAS_CUDA = backend.cuda_device_count() > 0

# ---- ag.tensor -----------------------------------------------------------------------------------


def test_tensor_copies_data_and_takes_dtype_requires_grad_and_device(device):
    data = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = ag.tensor(data, dtype=ag.float32, requires_grad=True, device=device)
    assert t.shape == (2, 2) and t.dtype == ag.float32
    assert t.requires_grad and t.is_leaf and t.device == ag.device(device)
    data[0, 0] = 100.0  # a copy, not a view
    assert t.detach().cpu().numpy()[0, 0] == 1.0


@pytest.mark.parametrize(
    "data, dtype",
    [
        (1.5, ag.float32),
        ([1.0, 2.0], ag.float32),
        ([1, 2.5], ag.float32),
        (3, ag.int64),
        ([[1, 2], [3, 4]], ag.int64),
        (True, ag.bool_),
        ([True, False], ag.bool_),
        ([True, 2], ag.int64),
        (np.array([1.0, 2.0]), ag.float64),
        (np.array([1.0], dtype=np.float16), ag.float16),
        (np.array([1, 2], dtype=np.int32), ag.int32),
        (np.float64(2.0), ag.float64),
        ([], ag.float32),
    ],
    ids=[
        "python float",
        "float list",
        "mixed list",
        "python int",
        "int list",
        "python bool",
        "bool list",
        "bool and int",
        "float64 array",
        "float16 array",
        "int32 array",
        "numpy float64 scalar",
        "empty list",
    ],
)
def test_default_dtypes_follow_pytorch(data, dtype):
    assert ag.tensor(data).dtype == dtype


def test_set_default_dtype_changes_what_python_floats_become():
    try:
        ag.set_default_dtype(ag.float64)
        assert ag.get_default_dtype() == ag.float64
        assert ag.tensor(1.5).dtype == ag.float64
        assert ag.zeros(2).dtype == ag.rand(2).dtype == ag.float64
        assert (ag.tensor([1]) + 0.5).dtype == ag.float64
        assert ag.tensor([1, 2]).dtype == ag.int64  # integers are not affected
    finally:
        ag.set_default_dtype(ag.float32)
    assert ag.tensor(1.5).dtype == ag.float32
    with pytest.raises(TypeError, match="only floating dtypes are allowed, got int64"):
        ag.set_default_dtype(ag.int64)


def test_python_floats_given_float64_are_not_rounded_through_float32():
    assert ag.tensor(0.1, dtype=ag.float64).item() == 0.1


def test_tensor_of_ragged_lists_is_an_error():
    with pytest.raises((TypeError, ValueError)):
        ag.tensor([[1.0, 2.0], [3.0]])


def test_tensor_of_tensors():
    t = ag.tensor([ag.tensor(1.0), ag.tensor(2.0)])
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


# ---- factories -----------------------------------------------------------------------------------


def test_zeros_ones_full_and_their_dtypes(device):
    assert ag.zeros(2, 3, device=device).dtype == ag.float32
    np.testing.assert_array_equal(ag.zeros((2, 3)).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(ag.ones([4]).numpy(), np.ones(4))
    assert ag.ones(2, dtype=ag.int64).dtype == ag.int64
    assert ag.zeros(2, 3, device=device).device == ag.device(device)
    full = ag.full((2, 2), 1.5)
    assert full.dtype == ag.float32 and full.numpy().tolist() == [[1.5, 1.5], [1.5, 1.5]]
    assert ag.full((2,), 3).dtype == ag.int64  # as PyTorch: the fill value's type
    assert ag.full((2,), True).dtype == ag.bool_
    assert ag.zeros(2, requires_grad=True).requires_grad


@pytest.mark.parametrize("size", [(-1,), (2.5,), ((2, -3),)], ids=["negative", "float", "tuple"])
def test_factories_reject_bad_sizes(size):
    with pytest.raises(ValueError, match="sizes must be non-negative integers"):
        ag.zeros(*size)
    with pytest.raises(ValueError, match="sizes must be non-negative integers"):
        ag.randn(*size)


def test_arange_like_pytorch():
    assert ag.arange(5).tolist() == [0, 1, 2, 3, 4] and ag.arange(5).dtype == ag.int64
    assert ag.arange(2, 8, 3).tolist() == [2, 5]
    floats = ag.arange(0, 1, 0.25)
    assert floats.dtype == ag.float32 and floats.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert ag.arange(3, dtype=ag.float64).dtype == ag.float64
    assert ag.arange(5, 0, -2).tolist() == [5, 3, 1] and ag.arange(2, 2).shape == (0,)


def test_arange_rejects_a_zero_step_or_bounds_against_its_sign():
    with pytest.raises(ValueError, match="arange: step must be nonzero"):
        ag.arange(0, 5, 0)
    with pytest.raises(ValueError, match="inconsistent with the sign of step"):
        ag.arange(5, 0)
    with pytest.raises(ValueError, match="inconsistent with the sign of step"):
        ag.arange(0, 3, -0.5)


def test_is_floating_point():
    assert (
        ag.tensor([1.0]).is_floating_point()
        and ag.tensor([1.0], dtype=ag.float64).is_floating_point()
    )
    assert not ag.tensor([1]).is_floating_point() and not ag.tensor([True]).is_floating_point()


def test_randint_takes_high_and_size_alone():
    draws = ag.randint(3, (50,))
    assert draws.shape == (50,) and draws.dtype == ag.int64
    assert 0 <= draws.min().item() and draws.max().item() < 3
    assert ag.randint(2, 5, (4,)).min().item() >= 2


def test_eye():
    np.testing.assert_array_equal(ag.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(ag.eye(2, 3).numpy(), np.eye(2, 3))
    assert ag.eye(3).dtype == ag.float32


def test_like_factories_keep_shape_dtype_and_device(device):
    base = ag.tensor([[1, 2, 3]], device=device)
    for made in (
        ag.zeros_like(base),
        ag.ones_like(base),
        ag.full_like(base, 7),
        ag.empty_like(base),
    ):
        assert (made.shape, made.dtype, made.device) == (base.shape, base.dtype, base.device)
    assert ag.ones_like(base).cpu().tolist() == [[1, 1, 1]]
    assert ag.zeros_like(base, dtype=ag.float64).dtype == ag.float64


def test_from_numpy_shares_memory_both_ways():
    array = np.zeros(3)
    t = ag.from_numpy(array)
    assert t.dtype == ag.float64
    array[0] = 5.0
    assert t.tolist() == [5.0, 0.0, 0.0]
    t.add_(1.0)
    np.testing.assert_array_equal(array, [6.0, 1.0, 1.0])
    with pytest.raises(TypeError, match="from_numpy: expected a numpy.ndarray, got list"):
        ag.from_numpy([1.0])


# ---- random numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [ag.rand, ag.randn])
def test_rand_and_randn_take_sizes_as_ints_or_a_tuple(factory):
    assert factory(2, 3).shape == (2, 3)
    assert factory((2, 3)).shape == (2, 3)
    assert factory([4]).shape == (4,)
    assert factory(5).shape == (5,)
    assert factory().shape == () and isinstance(factory().numpy(), np.ndarray)
    assert factory(2, dtype=ag.float64).dtype == ag.float64
    assert factory(2).dtype == ag.float32


def test_manual_seed_makes_runs_reproducible():
    ag.manual_seed(123)
    first = (ag.rand(4), ag.randn(2, 2), ag.randint(0, 10, (5,)), ag.randperm(6))
    ag.manual_seed(123)
    second = (ag.rand(4), ag.randn(2, 2), ag.randint(0, 10, (5,)), ag.randperm(6))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    ag.manual_seed(124)
    assert not np.array_equal(ag.rand(4).numpy(), first[0].numpy())
    assert ag.initial_seed() == 124


def test_random_values_have_the_right_distribution():
    ag.manual_seed(0)
    uniform = ag.rand(20_000).numpy()
    assert uniform.min() >= 0.0 and uniform.max() < 1.0
    assert abs(uniform.mean() - 0.5) < 0.01
    normal = ag.randn(20_000).numpy()
    assert abs(normal.mean()) < 0.03 and abs(normal.std() - 1.0) < 0.03


def test_a_generator_is_independent_of_the_global_seed():
    a = ag.randn(3, generator=ag.Generator(seed=7))
    ag.manual_seed(999)
    b = ag.randn(3, generator=ag.Generator(seed=7))
    np.testing.assert_array_equal(a.numpy(), b.numpy())


# ---- repr and conversions ------------------------------------------------------------------------


def test_repr_shows_values_dtype_and_the_op():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x) == "tensor([1., 2.], requires_grad=True)"
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<mul>)"
    assert repr(ag.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(ag.tensor([1.0], dtype=ag.float64)) == "tensor([1.], dtype=float64)"
    assert repr(ag.tensor(True)) == "tensor(True)"
    assert repr(ag.tensor([0.5, 0.25])).startswith("tensor([0.5")


def test_repr_prints_four_decimals_as_pytorch():
    assert repr(ag.tensor([1.5], dtype=ag.float64)) == "tensor([1.5000], dtype=float64)"
    assert repr(ag.tensor(0.5)) == "tensor(0.5000)"
    assert repr(ag.tensor([0.5, 0.25])) == "tensor([0.5000, 0.2500])"


def test_numpy_item_tolist():
    t = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert isinstance(t.numpy(), np.ndarray) and np.shares_memory(t.numpy(), t.numpy())
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert ag.tensor(2.5).item() == 2.5 and isinstance(ag.tensor(2.5).item(), float)
    assert ag.tensor([7]).item() == 7 and isinstance(ag.tensor([7]).item(), int)
    with pytest.raises(ValueError, match=r"item\(\) needs a tensor with one element"):
        t.item()
    with pytest.raises(RuntimeError, match=r"use tensor\.detach\(\)\.numpy\(\)"):
        ag.tensor([1.0], requires_grad=True).numpy()


def test_clone_copies_memory_and_stays_in_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert c.grad_fn is not None and not np.shares_memory(c.detach().numpy(), x.detach().numpy())
    (c * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


def test_to_dtype_converts_and_is_differentiable():
    x = ag.tensor([1.7, -1.7], requires_grad=True)
    assert x.to(ag.float32) is x  # nothing to do: the same tensor, as PyTorch
    d = x.to(ag.float64)
    assert d.dtype == ag.float64 and d.grad_fn is not None
    (d * 2).sum().backward()
    assert x.grad.dtype == ag.float32 and x.grad.tolist() == [2.0, 2.0]
    assert ag.tensor([1.7, -1.7]).to(ag.int64).tolist() == [1, -1]  # truncation, as C casts
    assert ag.tensor([1.7]).double().dtype == ag.float64
    assert ag.tensor([1.7]).long().dtype == ag.int64
    assert ag.tensor([0.0, 2.0]).bool().tolist() == [False, True]


# ---- dtype promotion (PyTorch's rules, not NumPy's) ----------------------------------------------


@pytest.mark.parametrize(
    "make_a, make_b, expected",
    [
        (lambda: ag.tensor([1]), lambda: ag.tensor([1.0]), ag.float32),
        (lambda: ag.tensor([1.0]), lambda: ag.tensor([1.0], dtype=ag.float64), ag.float64),
        (lambda: ag.tensor([1]), lambda: 0.5, ag.float32),
        (lambda: ag.tensor([True]), lambda: ag.tensor([1]), ag.int64),
        (lambda: ag.tensor([True]), lambda: 1, ag.int64),
        (lambda: ag.tensor([True]), lambda: 1.5, ag.float32),
        (lambda: ag.tensor([1.0]), lambda: 1, ag.float32),
        (lambda: ag.tensor([1], dtype=ag.int32), lambda: 5, ag.int32),
        (lambda: ag.tensor([1], dtype=ag.int32), lambda: ag.tensor([1]), ag.int64),
        (lambda: ag.tensor([1], dtype=ag.uint8), lambda: ag.tensor([1], dtype=ag.int8), ag.int16),
        (lambda: ag.tensor([1.0], dtype=ag.float16), lambda: ag.tensor([1.0]), ag.float32),
        (lambda: ag.tensor([1.0], dtype=ag.float16), lambda: 1.5, ag.float16),
        (lambda: ag.tensor([1]), lambda: ag.tensor(1.0, dtype=ag.float64), ag.float64),
    ],
    ids=[
        "int64+float32",
        "float32+float64",
        "int64+python float",
        "bool+int64",
        "bool+python int",
        "bool+python float",
        "float32+python int",
        "int32+python int",
        "int32+int64",
        "uint8+int8",
        "float16+float32",
        "float16+python float",
        "int64+0-d float64",
    ],
)
def test_dtype_promotion_follows_pytorch(make_a, make_b, expected):
    a, b = make_a(), make_b()
    assert (a + b).dtype == expected
    assert (b + a).dtype == expected
    assert (a * b).dtype == expected


def test_true_division_of_integers_gives_the_default_float():
    assert (ag.tensor([3]) / ag.tensor([2])).dtype == ag.float32
    assert (ag.tensor([3]) / 2).tolist() == [1.5]


@pytest.mark.parametrize(
    "make_a, make_b, expected",
    [
        (lambda: ag.tensor([1.0]), lambda: ag.tensor(1.0, dtype=ag.float64), ag.float32),
        (lambda: ag.tensor([1], dtype=ag.int32), lambda: ag.tensor(1), ag.int32),
    ],
    ids=["float32 + 0-d float64", "int32 + 0-d int64"],
)
def test_a_0d_tensor_of_the_same_category_does_not_widen(make_a, make_b, expected):
    assert (make_a() + make_b()).dtype == expected


# ---- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.tensor([1, 2], requires_grad=True),
        lambda: ag.zeros(2, dtype=ag.int64, requires_grad=True),
        lambda: ag.arange(3, requires_grad=True),
        lambda: ag.tensor([True]).requires_grad_(),
    ],
    ids=["tensor", "zeros", "arange", "requires_grad_"],
)
def test_requires_grad_on_an_integer_or_bool_dtype_is_an_error(make):
    with pytest.raises(RuntimeError, match="only tensors of floating point dtype can require"):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.tensor([1.0], dtype="floaty"),
        lambda: ag.zeros(2, dtype="float31"),
        lambda: ag.ones(2, dtype=object),
        lambda: ag.tensor([1.0], dtype=np.complex64),
    ],
    ids=["unknown name", "zeros", "object", "complex"],
)
def test_an_unknown_or_unsupported_dtype_is_an_error(make):
    with pytest.raises(TypeError, match="not a dtype|unsupported dtype"):
        make()


def test_an_unknown_device_is_an_error():
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        ag.zeros(2, device="tpu")


@pytest.mark.skipif(HAS_CUDA, reason="checks the message given when CUDA is missing")
@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.tensor([1.0], device="cuda"),
        lambda: ag.zeros(2, device="cuda"),
        lambda: ag.randn(2, device="cuda"),
        lambda: ag.tensor([1.0]).to("cuda"),
    ],
    ids=["tensor", "zeros", "randn", "to"],
)
def test_cuda_without_a_gpu_says_what_is_missing(make):
    if backend.cupy_or_none() is None:
        message = r"device 'cuda' needs CuPy.*pip install"
    else:
        message = "CuPy sees no CUDA GPU"
    with pytest.raises(RuntimeError, match=message):
        make()


@pytest.mark.gpu
def test_mixing_devices_in_one_op_is_an_error_naming_both():
    with pytest.raises(RuntimeError, match="same device, got cpu and cuda:0"):
        ag.ones(2) + ag.ones(2, device="cuda")


@pytest.mark.gpu
def test_to_device_and_back_keeps_values_and_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    on_gpu = x.to("cuda")
    assert on_gpu.device == ag.device("cuda:0")
    (on_gpu * 3).sum().backward()
    assert x.grad.device == ag.device("cpu") and x.grad.tolist() == [3.0, 3.0]
