// RUN: cnnc-opt %s --cnnc-generate-train-step="label-smoothing=0.1" | FileCheck %s
// RUN: cnnc-opt %s --cnnc-generate-train-step="optimizer=adam" | FileCheck %s --check-prefix=ADAM
// RUN: cnnc-opt %s --cnnc-generate-train-step="optimizer=adamw" | FileCheck %s --check-prefix=ADAMW
// RUN: cnnc-opt %s --cnnc-generate-train-step="loss=mse" | FileCheck %s --check-prefix=MSE

// A small network with every kind of state: convolution weights and bias,
// a batch norm's scale and bias (parameters) and running statistics
// (statistics), a linear layer; a dropout. conv1 has unit strides (its
// weight gradient is a convolution), conv2 a stride of 2 (its gradients are
// cnn.conv_weight_grad and, since its input depends on parameters, a
// cnn.conv_transpose).

func.func @net(%x: tensor<2x1x8x8xf32>) -> tensor<2x3xf32> {
  %w1 = cnn.constant dense<0.1> : tensor<4x1x3x3xf32> loc("conv1.weight")
  %b1 = cnn.constant dense<0.0> : tensor<4xf32> loc("conv1.bias")
  %g = cnn.constant dense<1.0> : tensor<4xf32> loc("bn.weight")
  %beta = cnn.constant dense<0.0> : tensor<4xf32> loc("bn.bias")
  %m = cnn.constant dense<0.0> : tensor<4xf32> loc("bn.running_mean")
  %v = cnn.constant dense<1.0> : tensor<4xf32> loc("bn.running_var")
  %w2 = cnn.constant dense<0.05> : tensor<4x4x3x3xf32> loc("conv2.weight")
  %fw = cnn.constant dense<0.2> : tensor<3x16xf32> loc("fc.weight")
  %fb = cnn.constant dense<0.0> : tensor<3xf32> loc("fc.bias")
  %0 = cnn.conv %x, %w1, %b1 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x1x8x8xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32>
  %1 = cnn.batch_norm %0, %g, %beta, %m, %v {epsilon = 1.0e-05 : f32} : tensor<2x4x8x8xf32>, tensor<4xf32>
  %2 = cnn.activation relu %1 : tensor<2x4x8x8xf32>
  %3 = cnn.conv %2, %w2 strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<2x4x4x4xf32>
  %4 = cnn.pool max %3 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<2x4x4x4xf32> -> tensor<2x4x2x2xf32>
  %5 = cnn.reshape %4 : tensor<2x4x2x2xf32> -> tensor<2x16xf32>
  %6 = cnn.dropout %5 {ratio = 2.5e-01 : f32, seed = 7 : i64} : tensor<2x16xf32>
  %7 = cnn.matmul %6, %fw, %fb transpose_rhs : (tensor<2x16xf32>, tensor<3x16xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %7 : tensor<2x3xf32>
}

// The model's function is kept as it was: the inference with its own
// weights.
// CHECK-LABEL: func.func @net(%{{.*}}: tensor<2x1x8x8xf32>) -> tensor<2x3xf32> {
// CHECK:         cnn.batch_norm
// CHECK:         cnn.dropout
// CHECK:         return

// The initial state: the parameters (in the order the model uses them),
// then the statistics, then one momentum buffer per parameter (SGD), zero.
// CHECK-LABEL: func.func @net_initial_state() -> (tensor<4x1x3x3xf32> {cnn.name = "conv1.weight"}, tensor<4xf32> {cnn.name = "conv1.bias"}, tensor<4xf32> {cnn.name = "bn.weight"}, tensor<4xf32> {cnn.name = "bn.bias"}, tensor<4x4x3x3xf32> {cnn.name = "conv2.weight"}, tensor<3x16xf32> {cnn.name = "fc.weight"}, tensor<3xf32> {cnn.name = "fc.bias"}, tensor<4xf32> {cnn.name = "bn.running_mean"}, tensor<4xf32> {cnn.name = "bn.running_var"}, tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.momentum"}, tensor<4xf32> {cnn.name = "conv1.bias.momentum"}, tensor<4xf32> {cnn.name = "bn.weight.momentum"}, tensor<4xf32> {cnn.name = "bn.bias.momentum"}, tensor<4x4x3x3xf32> {cnn.name = "conv2.weight.momentum"}, tensor<3x16xf32> {cnn.name = "fc.weight.momentum"}, tensor<3xf32> {cnn.name = "fc.bias.momentum"}) attributes {cnnc.entry = "initial_state"}
// CHECK:         %[[W1:.*]] = cnn.constant dense<1.000000e-01> : tensor<4x1x3x3xf32>
// CHECK:         %[[SLOT:.*]] = cnn.constant dense<0.000000e+00> : tensor<4x1x3x3xf32>
// CHECK:         return %[[W1]], {{.*}}, %[[SLOT]],

// The evaluation: the state's parameters and statistics, then the input;
// the batch norm in inference form on the running statistics.
// CHECK-LABEL: func.func @net_evaluate(
// CHECK-SAME:      %{{[^:]*}}: tensor<4x1x3x3xf32> {cnn.name = "conv1.weight"}, %{{[^:]*}}: tensor<4xf32> {cnn.name = "conv1.bias"}, %{{[^:]*}}: tensor<4xf32> {cnn.name = "bn.weight"}, %{{[^:]*}}: tensor<4xf32> {cnn.name = "bn.bias"}, %{{[^:]*}}: tensor<4x4x3x3xf32> {cnn.name = "conv2.weight"}, %{{[^:]*}}: tensor<3x16xf32> {cnn.name = "fc.weight"}, %{{[^:]*}}: tensor<3xf32> {cnn.name = "fc.bias"}, %[[MEAN:[^:]*]]: tensor<4xf32> {cnn.name = "bn.running_mean"}, %[[VAR:[^:]*]]: tensor<4xf32> {cnn.name = "bn.running_var"}, %[[X:[^:]*]]: tensor<2x1x8x8xf32>) -> tensor<2x3xf32> attributes {cnnc.entry = "evaluate"}
// CHECK-NOT:     cnn.constant
// CHECK:         cnn.conv %[[X]]
// CHECK:         cnn.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %[[MEAN]], %[[VAR]] : tensor<2x4x8x8xf32>, tensor<4xf32>
// CHECK-NOT:     cnn.batch_norm_train
// CHECK:         return

// The train step: state, input, slots, labels, hyper-parameters and the
// dropout key in; loss, logits, new state and new slots out.
// CHECK-LABEL: func.func @net_train_step(
// CHECK-SAME:      %[[TW1:[^:]*]]: tensor<4x1x3x3xf32> {cnn.name = "conv1.weight"}, %{{.*}}: tensor<4xf32> {cnn.name = "conv1.bias"}, %[[GAMMA:[^:]*]]: tensor<4xf32> {cnn.name = "bn.weight"}, %[[BETA:[^:]*]]: tensor<4xf32> {cnn.name = "bn.bias"}, %[[TW2:[^:]*]]: tensor<4x4x3x3xf32> {cnn.name = "conv2.weight"}, %[[FW:[^:]*]]: tensor<3x16xf32> {cnn.name = "fc.weight"}, %[[FB:[^:]*]]: tensor<3xf32> {cnn.name = "fc.bias"}, %[[RM:[^:]*]]: tensor<4xf32> {cnn.name = "bn.running_mean"}, %[[RV:[^:]*]]: tensor<4xf32> {cnn.name = "bn.running_var"},
// CHECK-SAME:      %[[TX:[^:]*]]: tensor<2x1x8x8xf32>,
// CHECK-SAME:      %[[M1:[^:]*]]: tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.momentum"}, %{{.*}}: tensor<4xf32> {cnn.name = "conv1.bias.momentum"}, %{{.*}}: tensor<4xf32> {cnn.name = "bn.weight.momentum"}, %{{.*}}: tensor<4xf32> {cnn.name = "bn.bias.momentum"}, %{{.*}}: tensor<4x4x3x3xf32> {cnn.name = "conv2.weight.momentum"}, %{{.*}}: tensor<3x16xf32> {cnn.name = "fc.weight.momentum"}, %{{.*}}: tensor<3xf32> {cnn.name = "fc.bias.momentum"},
// CHECK-SAME:      %[[LABELS:[^:]*]]: tensor<2xi32> {cnn.name = "labels"}, %[[HYPER:[^:]*]]: tensor<8xf32> {cnn.name = "hyper"}, %[[KEY:[^:]*]]: tensor<i64> {cnn.name = "key"})
// CHECK-SAME:      -> (tensor<f32> {cnn.name = "loss"}, tensor<2x3xf32> {cnn.name = "logits"}, tensor<4x1x3x3xf32> {cnn.name = "conv1.weight"}, {{.*}}, tensor<4xf32> {cnn.name = "bn.running_var"}, tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.momentum"}, {{.*}}, tensor<3xf32> {cnn.name = "fc.bias.momentum"})
// CHECK-SAME:      attributes {cnnc.entry = "train_step", cnnc.labels = {name = "labels", type = tensor<2xi32>}, cnnc.state = [{kind = "parameter", name = "conv1.weight", type = tensor<4x1x3x3xf32>}, {kind = "parameter", name = "conv1.bias", type = tensor<4xf32>}, {kind = "parameter", name = "bn.weight", type = tensor<4xf32>}, {kind = "parameter", name = "bn.bias", type = tensor<4xf32>}, {kind = "parameter", name = "conv2.weight", type = tensor<4x4x3x3xf32>}, {kind = "parameter", name = "fc.weight", type = tensor<3x16xf32>}, {kind = "parameter", name = "fc.bias", type = tensor<3xf32>}, {kind = "statistic", name = "bn.running_mean", type = tensor<4xf32>}, {kind = "statistic", name = "bn.running_var", type = tensor<4xf32>}, {kind = "slot", name = "conv1.weight.momentum", type = tensor<4x1x3x3xf32>}, {kind = "slot", name = "conv1.bias.momentum", type = tensor<4xf32>}, {kind = "slot", name = "bn.weight.momentum", type = tensor<4xf32>}, {kind = "slot", name = "bn.bias.momentum", type = tensor<4xf32>}, {kind = "slot", name = "conv2.weight.momentum", type = tensor<4x4x3x3xf32>}, {kind = "slot", name = "fc.weight.momentum", type = tensor<3x16xf32>}, {kind = "slot", name = "fc.bias.momentum", type = tensor<3xf32>}]}
// CHECK-NOT:     cnn.constant dense<1.000000e-01>

// Forward: the batch norm in training form (momentum 0.9), the dropout as
// a multiplication by a mask drawn from the key.
// CHECK:         %[[C1:.*]] = cnn.conv %[[TX]], %[[TW1]]
// CHECK:         %[[BN:[^,]*]], %[[NEWRM:[^,]*]], %[[NEWRV:[^,]*]], %[[BMEAN:[^,]*]], %[[BISTD:[^ ]*]] = cnn.batch_norm_train %[[C1]], %[[GAMMA]], %[[BETA]], %[[RM]], %[[RV]] : tensor<2x4x8x8xf32>, tensor<4xf32>
// CHECK:         %[[RELU:.*]] = cnn.activation relu %[[BN]]
// CHECK:         %[[C2:.*]] = cnn.conv %[[RELU]], %[[TW2]] strides [2, 2]
// CHECK:         %[[POOL:.*]] = cnn.pool max %[[C2]]
// CHECK:         %[[FLAT:.*]] = cnn.reshape %[[POOL]]
// CHECK-NOT:     cnn.dropout {
// CHECK:         %[[MASK:.*]] = cnn.dropout_mask %[[KEY]] {ratio = 2.500000e-01 : f32, seed = {{[0-9]+}} : i64} : tensor<i64> -> tensor<2x16xf32>
// CHECK:         %[[DROPPED:.*]] = cnn.binary mul %[[FLAT]], %[[MASK]]
// CHECK:         %[[LOGITS:.*]] = cnn.matmul %[[DROPPED]], %[[FW]], %[[FB]] transpose_rhs

// The loss and its gradient.
// CHECK:         %[[LOSS:.*]] = cnn.softmax_cross_entropy %[[LOGITS]], %[[LABELS]] reduction mean {label_smoothing = 1.000000e-01 : f32} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<f32>
// CHECK:         %[[ONE:.*]] = cnn.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[DLOGITS:.*]] = cnn.softmax_cross_entropy_grad %[[LOGITS]], %[[LABELS]], %[[ONE]] reduction mean {label_smoothing = 1.000000e-01 : f32}

// Backward, last layer first: the linear layer's gradients are matmuls,
// the dropout's the same mask, the max pool's a cnn.pool_grad, the strided
// convolution's a transposed convolution and a cnn.conv_weight_grad, the
// relu's a cnn.activation_grad, the batch norm's reductions over its batch
// statistics, the unit-stride convolution's weight gradient a convolution
// of the transposed input by the transposed output gradient.
// CHECK:         %[[DFLAT:.*]] = cnn.matmul %[[DLOGITS]], %[[FW]] : (tensor<2x3xf32>, tensor<3x16xf32>) -> tensor<2x16xf32>
// CHECK:         %[[DFW:.*]] = cnn.matmul %[[DLOGITS]], %[[DROPPED]] transpose_lhs : (tensor<2x3xf32>, tensor<2x16xf32>) -> tensor<3x16xf32>
// CHECK:         cnn.binary mul %[[DFLAT]], %[[MASK]]
// CHECK:         %[[DPOOL:.*]] = cnn.pool_grad max %[[C2]], %{{.*}} kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] : tensor<2x4x4x4xf32>, tensor<2x4x2x2xf32>
// CHECK:         %[[DRELU:.*]] = cnn.conv_transpose %[[DPOOL]], %[[TW2]] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] output_padding [1, 1] groups 1 : (tensor<2x4x4x4xf32>, tensor<4x4x3x3xf32>) -> tensor<2x4x8x8xf32>
// CHECK:         %[[DW2:.*]] = cnn.conv_weight_grad %[[RELU]], %[[DPOOL]] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<2x4x8x8xf32>, tensor<2x4x4x4xf32>) -> tensor<4x4x3x3xf32>
// CHECK:         %[[DBN:.*]] = cnn.activation_grad relu %[[BN]], %[[DRELU]] : tensor<2x4x8x8xf32>
// CHECK:         cnn.reshape %[[BMEAN]] : tensor<4xf32> -> tensor<4x1x1xf32>
// CHECK:         cnn.reshape %[[BISTD]] : tensor<4xf32> -> tensor<4x1x1xf32>
// CHECK:         %[[DBETA:.*]] = cnn.reduce sum %[[DBN]] axes [0, 2, 3] : tensor<2x4x8x8xf32> -> tensor<4xf32>
// CHECK:         %[[XT:.*]] = cnn.transpose %[[TX]] permutation [1, 0, 2, 3] : tensor<2x1x8x8xf32> -> tensor<1x2x8x8xf32>
// CHECK:         %[[DYT:.*]] = cnn.transpose %{{.*}} permutation [1, 0, 2, 3] : tensor<2x4x8x8xf32> -> tensor<4x2x8x8xf32>
// CHECK:         %[[DW1T:.*]] = cnn.conv %[[XT]], %[[DYT]] strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1 : (tensor<1x2x8x8xf32>, tensor<4x2x8x8xf32>) -> tensor<1x4x3x3xf32>
// CHECK:         %[[DW1:.*]] = cnn.transpose %[[DW1T]] permutation [1, 0, 2, 3] : tensor<1x4x3x3xf32> -> tensor<4x1x3x3xf32>
// No gradient for the images.
// CHECK-NOT:     cnn.conv_transpose %{{.*}} -> tensor<2x1x8x8xf32>

// SGD: b = momentum * b + (g + wd * p); p -= lr * b, with lr, momentum and
// weight decay elements 0, 1 and 2 of the hyper-parameters.
// CHECK:         cnn.slice %[[HYPER]] offsets [0] sizes [1] strides [1]
// CHECK:         %[[WDSLICE:.*]] = cnn.slice %[[HYPER]] offsets [2] sizes [1] strides [1]
// CHECK:         %[[WD:.*]] = cnn.reshape %[[WDSLICE]] : tensor<1xf32> -> tensor<f32>
// CHECK:         %[[DECAY:.*]] = cnn.binary mul %[[WD]], %[[TW1]]
// CHECK:         %[[G1:.*]] = cnn.binary add %[[DW1]], %[[DECAY]]
// CHECK:         %[[MOM:.*]] = cnn.binary mul %{{.*}}, %[[M1]]
// CHECK:         %[[NEWM1:.*]] = cnn.binary add %[[MOM]], %[[G1]]
// CHECK:         %[[STEP:.*]] = cnn.binary mul %{{.*}}, %[[NEWM1]]
// CHECK:         %[[NEWW1:.*]] = cnn.binary sub %[[TW1]], %[[STEP]]
// CHECK:         cnn.binary add %[[DW2]], %{{.*}} : (tensor<4x4x3x3xf32>, tensor<4x4x3x3xf32>) -> tensor<4x4x3x3xf32>
// CHECK:         cnn.binary add %[[DFW]], %{{.*}} : (tensor<3x16xf32>, tensor<3x16xf32>) -> tensor<3x16xf32>
// CHECK:         return %[[LOSS]], %[[LOGITS]], %[[NEWW1]], {{.*}}, %[[NEWRM]], %[[NEWRV]], %[[NEWM1]], {{.*}} : tensor<f32>, tensor<2x3xf32>, tensor<4x1x3x3xf32>,

// Adam: two moments per parameter, in the state and the train step, and
// the square root of the second in the update.
// ADAM-LABEL: func.func @net_initial_state() -> (tensor<4x1x3x3xf32> {cnn.name = "conv1.weight"}, {{.*}}, tensor<4xf32> {cnn.name = "bn.running_var"}, tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.exp_avg"}, tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.exp_avg_sq"}, tensor<4xf32> {cnn.name = "conv1.bias.exp_avg"}, tensor<4xf32> {cnn.name = "conv1.bias.exp_avg_sq"}, {{.*}}, tensor<3xf32> {cnn.name = "fc.bias.exp_avg"}, tensor<3xf32> {cnn.name = "fc.bias.exp_avg_sq"}) attributes {cnnc.entry = "initial_state"}
// ADAM-LABEL: func.func @net_train_step(
// ADAM-SAME:    %{{.*}}: tensor<2x1x8x8xf32>, %[[M:[^:]*]]: tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.exp_avg"}, %[[V:[^:]*]]: tensor<4x1x3x3xf32> {cnn.name = "conv1.weight.exp_avg_sq"}, %{{.*}}: tensor<4xf32> {cnn.name = "conv1.bias.exp_avg"},
// ADAM-SAME:    {kind = "slot", name = "conv1.weight.exp_avg", type = tensor<4x1x3x3xf32>}, {kind = "slot", name = "conv1.weight.exp_avg_sq", type = tensor<4x1x3x3xf32>}
// ADAM-NOT:     momentum
// ADAM:         cnn.binary mul %{{.*}}, %[[M]]
// ADAM:         cnn.binary mul %{{.*}}, %[[V]]
// ADAM:         cnn.unary sqrt %{{.*}} : tensor<4x1x3x3xf32>
// ADAM-COUNT-6: cnn.unary sqrt
// ADAM-NOT:     cnn.unary sqrt
// ADAM:         return

// AdamW decays the parameter itself: p * (1 - lr * wd) before the step.
// ADAMW-LABEL: func.func @net_train_step(
// ADAMW-SAME:    {cnn.name = "conv1.weight.exp_avg"}
// ADAMW:         %[[LRWD:.*]] = cnn.binary mul %{{.*}}, %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// ADAMW:         %[[KEEP:.*]] = cnn.binary sub %{{.*}}, %[[LRWD]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// ADAMW:         cnn.binary mul %arg0, %[[KEEP]] : (tensor<4x1x3x3xf32>, tensor<f32>) -> tensor<4x1x3x3xf32>
// ADAMW:         cnn.unary sqrt

// The mean squared error against a target of the logits' type.
// MSE-LABEL: func.func @net_train_step(
// MSE-SAME:    %[[TARGETS:[^:]*]]: tensor<2x3xf32> {cnn.name = "targets"}, %{{.*}}: tensor<8xf32> {cnn.name = "hyper"}, %{{.*}}: tensor<i64> {cnn.name = "key"})
// MSE-NOT:     softmax_cross_entropy
// MSE:         %[[LOGITS:.*]] = cnn.matmul
// MSE:         %[[LOSS:.*]] = cnn.mse_loss %[[LOGITS]], %[[TARGETS]] reduction mean : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<f32>
// MSE:         cnn.binary sub %[[LOGITS]], %[[TARGETS]]
// MSE-NOT:     softmax_cross_entropy
// MSE:         return %[[LOSS]], %[[LOGITS]],
