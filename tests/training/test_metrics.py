"""accuracy and confusion_matrix on logits and labels."""

import numpy as np
import pytest

import autograd_core as ag
from autograd_core.training import accuracy, confusion_matrix


def test_accuracy_argmax_and_single_logit():
    logits = ag.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]])
    assert accuracy(logits, ag.tensor([0, 1, 1])) == pytest.approx(2 / 3)
    assert accuracy(ag.tensor([[0.3], [-2.0]]), np.array([1, 0])) == 1.0


def test_confusion_matrix():
    m = confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], num_classes=4)
    expected = np.zeros((4, 4), int)
    expected[0, 0] = expected[1, 1] = expected[1, 2] = expected[2, 2] = 1
    np.testing.assert_array_equal(m, expected)
    with pytest.raises(ValueError, match="y_true has 2 labels but y_pred has 1"):
        confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="labels should be in \\[0, 2\\)"):
        confusion_matrix([0, 2], [0, 1], num_classes=2)
