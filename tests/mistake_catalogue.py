"""Realistic student mistakes, each a small edit of the reference answer of one graded function
(the ten Step by Step functions and the two application models).

Every entry becomes a submission built from the released notebook (see
`dnncourse.authoring.examples.build_notebook`) and is graded with real nbgrader by
test_mistake_catalogue.py: the function with the mistake must lose points, every other
function must keep full points. `hidden_only` marks mistakes that the published example
cannot reveal (only the new-shape and hidden tests can).
"""

from dataclasses import dataclass

from dnncourse.authoring.examples import Example


@dataclass(frozen=True)
class Mistake:
    """A mistake planted in `function` by replacing `old` with `new` in its answer."""

    key: str
    function: str
    description: str
    edits: tuple  # ((old, new), ...)
    hidden_only: bool = False
    assignment: str = "step_by_step"

    def example(self):
        return Example(f"mistake_{self.key}", self.assignment, self.description,
                       edits={self.function: list(self.edits)})


M = Mistake


def A(*args, **kwargs):
    """A mistake in one of the application's models."""
    return Mistake(*args, **kwargs, assignment="application")


CATALOGUE = (
    # initialize_parameters
    M("ip_no_scale", "initialize_parameters", "W1 without the 0.01 scale",
      (("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.randn(n_h, n_x)"),)),
    M("ip_zeros", "initialize_parameters", "W2 initialized with zeros",
      (("W2 = np.random.randn(n_y, n_h) * 0.01", "W2 = np.zeros((n_y, n_h))"),)),
    M("ip_swapped_shape", "initialize_parameters", "W1 drawn as (n_x, n_h) and transposed",
      (("W1 = np.random.randn(n_h, n_x) * 0.01", "W1 = np.random.randn(n_x, n_h).T * 0.01"),)),
    # initialize_parameters_deep
    M("ipd_no_scale", "initialize_parameters_deep", "weights without the 0.01 scale",
      (("layer_dims[l - 1]) * 0.01", "layer_dims[l - 1])"),)),
    M("ipd_wrong_seed", "initialize_parameters_deep", "seed 1 instead of 3",
      (("np.random.seed(3)", "np.random.seed(1)"),)),
    M("ipd_missing_last_layer", "initialize_parameters_deep", "keys shifted: W0 ... W[L-1]",
      (('parameters["W" + str(l)] = np', 'parameters["W" + str(l - 1)] = np'),
       ('parameters["b" + str(l)] = np', 'parameters["b" + str(l - 1)] = np'),
       ('assert parameters["W" + str(l)]', 'assert parameters["W" + str(l - 1)]'),
       ('assert parameters["b" + str(l)]', 'assert parameters["b" + str(l - 1)]'))),
    M("ipd_random_bias", "initialize_parameters_deep", "random biases instead of zeros",
      (("np.zeros((layer_dims[l], 1))", "np.random.randn(layer_dims[l], 1) * 0.01"),)),
    # linear_forward
    M("lf_elementwise", "linear_forward", "`*` instead of a matrix product",
      (("Z = np.dot(W, A) + b", "Z = W * A + b"),)),
    M("lf_no_bias", "linear_forward", "b forgotten",
      (("Z = np.dot(W, A) + b", "Z = np.dot(W, A)"),)),
    # linear_activation_forward
    M("laf_swapped_activation", "linear_activation_forward", "relu in the sigmoid branch",
      (("A, activation_cache = sigmoid(Z)", "A, activation_cache = relu(Z)"),)),
    M("laf_caches_A", "linear_activation_forward", "caches A instead of Z (relu branch)",
      (("A, activation_cache = relu(Z)", "A, _ = relu(Z)\n        activation_cache = A"),)),
    # L_model_forward
    M("lmf_relu_output", "L_model_forward", "relu on the output layer",
      (('activation="sigmoid")', 'activation="relu")'),)),
    M("lmf_last_cache_missing", "L_model_forward", "the last layer's cache not appended",
      (('activation="sigmoid")\n    caches.append(cache)', 'activation="sigmoid")'),)),
    M("lmf_two_layers_only", "L_model_forward", "output layer hard-coded as layer 2",
      (('A, parameters["W" + str(L)], parameters["b" + str(L)]',
        'A, parameters["W2"], parameters["b2"]'),), hidden_only=True),
    M("lmf_uses_X", "L_model_forward", "every hidden layer reads X instead of A_prev",
      (('A_prev, parameters["W" + str(l)]', 'X, parameters["W" + str(l)]'),),
      hidden_only=True),
    # compute_cost
    M("cc_no_mean", "compute_cost", "sum without 1/m",
      (("cost = (1 / m) * (", "cost = ("),)),
    M("cc_wrong_sign", "compute_cost", "cost with the wrong sign",
      (("(-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))",
        "(np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))"),)),
    M("cc_not_squeezed", "compute_cost", "the result left as a (1, 1) array",
      (("    cost = np.squeeze(cost)  # turns [[17]] into 17\n    assert cost.shape == ()\n",
        ""),)),
    M("cc_positive_class_only", "compute_cost", "the (1 - Y) log(1 - AL) term forgotten",
      (("(-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))",
        "(-np.dot(Y, np.log(AL).T))"),),
      hidden_only=True),
    # linear_backward
    M("lb_no_mean", "linear_backward", "dW without 1/m",
      (("dW = 1 / m * np.dot(dZ, A_prev.T)", "dW = np.dot(dZ, A_prev.T)"),)),
    M("lb_no_keepdims", "linear_backward", "db summed without keepdims",
      (("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, axis=1)"),)),
    M("lb_sum_all_axes", "linear_backward", "db summed over every axis",
      (("np.sum(dZ, axis=1, keepdims=True)", "np.sum(dZ, keepdims=True)"),), hidden_only=True),
    M("lb_no_transpose", "linear_backward", "W instead of W.T in dA_prev",
      (("dA_prev = np.dot(W.T, dZ)", "dA_prev = np.dot(W, dZ)"),)),
    M("lb_elementwise", "linear_backward", "`*` instead of a matrix product in dA_prev",
      (("dA_prev = np.dot(W.T, dZ)", "dA_prev = W.T * dZ"),), hidden_only=True),
    # linear_activation_backward
    M("lab_swapped_backward", "linear_activation_backward", "sigmoid_backward in the relu branch",
      (("dZ = relu_backward(dA, activation_cache)",
        "dZ = sigmoid_backward(dA, activation_cache)"),)),
    M("lab_passes_dA", "linear_activation_backward", "dA passed to linear_backward, not dZ",
      (("dZ = sigmoid_backward(dA, activation_cache)\n"
        "        dA_prev, dW, db = linear_backward(dZ, linear_cache)",
        "dZ = sigmoid_backward(dA, activation_cache)\n"
        "        dA_prev, dW, db = linear_backward(dA, linear_cache)"),)),
    # L_model_backward
    M("lmb_dAL_sign", "L_model_backward", "sign error in dAL",
      (("dAL = -(np.divide(", "dAL = (np.divide("),)),
    M("lmb_wrong_cache", "L_model_backward", "layer L reads caches[L - 2]",
      (("current_cache = caches[L - 1]", "current_cache = caches[L - 2]"),)),
    M("lmb_loop_reads_wrong_dA", "L_model_backward", "the loop reads grads['dA' + str(l + 1)]",
      (('grads["dA" + str(l + 2)], current_cache, "relu")',
        'grads["dA" + str(l + 1)], current_cache, "relu")'),)),
    M("lmb_sigmoid_in_loop", "L_model_backward", "sigmoid used for the hidden layers",
      (('current_cache, "relu")', 'current_cache, "sigmoid")'),)),
    M("lmb_two_layers_only", "L_model_backward", "the loop always reads grads['dA2']",
      (('grads["dA" + str(l + 2)], current_cache, "relu")',
        'grads["dA2"], current_cache, "relu")'),), hidden_only=True),
    # update_parameters
    M("up_b_not_updated", "update_parameters", "W updated, b not",
      ((' - learning_rate * grads["db" + str(l + 1)]', ""),)),
    M("up_no_learning_rate", "update_parameters", "the learning rate ignored",
      (('- learning_rate * grads["dW" + str(l + 1)]', '- grads["dW" + str(l + 1)]'),)),
    M("up_plus", "update_parameters", "W moved along the gradient instead of against it",
      (('- learning_rate * grads["dW" + str(l + 1)]',
        '+ learning_rate * grads["dW" + str(l + 1)]'),)),
    # two_layer_model (application)
    A("tlm_relu_output", "two_layer_model", "relu on the output layer",
      (('A2, cache2 = linear_activation_forward(A1, W2, b2, activation="sigmoid")',
        'A2, cache2 = linear_activation_forward(A1, W2, b2, activation="relu")'),)),
    A("tlm_swapped_backward", "two_layer_model", "relu backward for the output layer",
      (('linear_activation_backward(dA2, cache2, activation="sigmoid")',
        'linear_activation_backward(dA2, cache2, activation="relu")'),)),
    A("tlm_wrong_cache", "two_layer_model", "layer 1's backward step reads cache2",
      (('linear_activation_backward(dA1, cache1, activation="relu")',
        'linear_activation_backward(dA1, cache2, activation="relu")'),)),
    A("tlm_deep_init", "two_layer_model", "initialize_parameters_deep instead of "
      "initialize_parameters (other scale)",
      (("parameters = initialize_parameters(n_x, n_h, n_y)",
        "parameters = initialize_parameters_deep(layers_dims)"),)),
    A("tlm_visible_learning_rate", "two_layer_model",
      "the visible test's learning rate 0.05 hard-coded",
      (("parameters = update_parameters(parameters, grads, learning_rate)",
        "parameters = update_parameters(parameters, grads, 0.05)"),), hidden_only=True),
    # L_layer_model (application)
    A("llm_hardcoded_dims", "L_layer_model", "the notebook's layers_dims hard-coded",
      (("parameters = initialize_parameters_deep(layers_dims)",
        "parameters = initialize_parameters_deep([12288, 20, 7, 5, 1])"),)),
    A("llm_default_learning_rate", "L_layer_model", "the default learning rate 0.0075 hard-coded",
      (("parameters = update_parameters(parameters, grads, learning_rate)",
        "parameters = update_parameters(parameters, grads, 0.0075)"),)),
    A("llm_backward_args_swapped", "L_layer_model", "L_model_backward(Y, AL, caches)",
      (("grads = L_model_backward(AL, Y, caches)", "grads = L_model_backward(Y, AL, caches)"),)),
    A("llm_cost_args_swapped", "L_layer_model", "compute_cost(Y, AL)",
      (("cost = compute_cost(AL, Y)", "cost = compute_cost(Y, AL)"),)),
)
