"""Known mistakes of "Deep Neural Network for Image Classification: Application".

Each is a small edit of the reference answer of one model, as students make it; see
catalogue/step_by_step/mistakes.py for how the grader and the suite use them.
"""

from dnncourse.grader.mistakes import Mistake as M

MISTAKES = (
    # two_layer_model
    M("tlm_relu_output", "two_layer_model", "relu on the output layer",
      (('A2, cache2 = linear_activation_forward(A1, W2, b2, activation="sigmoid")',
        'A2, cache2 = linear_activation_forward(A1, W2, b2, activation="relu")'),),
      words=("costs[0]",)),
    M("tlm_swapped_backward", "two_layer_model", "the relu backward step for the output layer",
      (('linear_activation_backward(dA2, cache2, activation="sigmoid")',
        'linear_activation_backward(dA2, cache2, activation="relu")'),),
      words=("costs[1]", "learning_rate=0.05")),
    M("tlm_wrong_cache", "two_layer_model", "layer 1's backward step reading cache2",
      (('linear_activation_backward(dA1, cache1, activation="relu")',
        'linear_activation_backward(dA1, cache2, activation="relu")'),),
      words=("two_layer_model",)),
    M("tlm_deep_init", "two_layer_model", "initialize_parameters_deep (another scale) instead "
      "of initialize_parameters",
      (("parameters = initialize_parameters(n_x, n_h, n_y)",
        "parameters = initialize_parameters_deep(layers_dims)"),),
      words=("costs[0]",)),
    M("tlm_visible_learning_rate", "two_layer_model", "the visible test's learning rate 0.05 "
      "written in place of learning_rate",
      (("parameters = update_parameters(parameters, grads, learning_rate)",
        "parameters = update_parameters(parameters, grads, 0.05)"),),
      words=("learning_rate=0.02",)),
    # L_layer_model
    M("llm_hardcoded_dims", "L_layer_model", "the notebook's layers_dims written in place of "
      "layers_dims",
      (("parameters = initialize_parameters_deep(layers_dims)",
        "parameters = initialize_parameters_deep([12288, 20, 7, 5, 1])"),),
      words=("L_layer_model",)),
    M("llm_default_learning_rate", "L_layer_model", "the default learning rate 0.0075 written "
      "in place of learning_rate",
      (("parameters = update_parameters(parameters, grads, learning_rate)",
        "parameters = update_parameters(parameters, grads, 0.0075)"),),
      words=("costs[1]", "learning_rate=0.05")),
    M("llm_backward_args_swapped", "L_layer_model", "L_model_backward(Y, AL, caches)",
      (("grads = L_model_backward(AL, Y, caches)", "grads = L_model_backward(Y, AL, caches)"),),
      words=("costs[1]",)),
    M("llm_cost_args_swapped", "L_layer_model", "compute_cost(Y, AL)",
      (("cost = compute_cost(AL, Y)", "cost = compute_cost(Y, AL)"),),
      words=("costs[0]",)),
    M("llm_no_update", "L_layer_model", "the parameters never updated",
      (("        parameters = update_parameters(parameters, grads, learning_rate)\n", ""),),
      words=("costs[1]", "update")),
)
