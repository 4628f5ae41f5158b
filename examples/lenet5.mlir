// LeNet-5 (LeCun et al., 1998) for 28x28 grey images such as Fashion-MNIST,
// in the cnn dialect: an example of a model written directly in the IR
// (`cnnc compile examples/lenet5.mlir -o lenet5.o` works like an ONNX model).
// The parameters are arguments here; the ONNX frontend and the DSL give
// models whose weights are constants.
func.func @lenet5(%image: tensor<1x1x28x28xf32>,
                  %conv1_w: tensor<6x1x5x5xf32>, %conv1_b: tensor<6xf32>,
                  %conv2_w: tensor<16x6x5x5xf32>, %conv2_b: tensor<16xf32>,
                  %fc1_w: tensor<120x400xf32>, %fc1_b: tensor<120xf32>,
                  %fc2_w: tensor<84x120xf32>, %fc2_b: tensor<84xf32>,
                  %fc3_w: tensor<10x84xf32>, %fc3_b: tensor<10xf32>)
    -> tensor<1x10xf32> {
  // Normalize the pixels from [0, 1] to [-1, 1]: (x - 0.5) / 0.5.
  %half = cnn.constant dense<0.5> : tensor<1xf32>
  %centered = cnn.binary sub %image, %half
      : (tensor<1x1x28x28xf32>, tensor<1xf32>) -> tensor<1x1x28x28xf32>
  %x = cnn.binary div %centered, %half
      : (tensor<1x1x28x28xf32>, tensor<1xf32>) -> tensor<1x1x28x28xf32>

  // C1: 6 feature maps of 28x28, S2: 14x14.
  %c1 = cnn.conv %x, %conv1_w, %conv1_b strides [1, 1] pads [2, 2, 2, 2]
          dilations [1, 1] groups 1
      : (tensor<1x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>)
        -> tensor<1x6x28x28xf32>
  %a1 = cnn.activation relu %c1 : tensor<1x6x28x28xf32>
  %s2 = cnn.pool max %a1 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0]
          dilations [1, 1] : tensor<1x6x28x28xf32> -> tensor<1x6x14x14xf32>

  // C3: 16 feature maps of 10x10, S4: 5x5.
  %c3 = cnn.conv %s2, %conv2_w, %conv2_b strides [1, 1] pads [0, 0, 0, 0]
          dilations [1, 1] groups 1
      : (tensor<1x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>)
        -> tensor<1x16x10x10xf32>
  %a3 = cnn.activation relu %c3 : tensor<1x16x10x10xf32>
  %s4 = cnn.pool max %a3 kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0]
          dilations [1, 1] : tensor<1x16x10x10xf32> -> tensor<1x16x5x5xf32>

  // F5, F6 and the classifier.
  %flat = cnn.reshape %s4 : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  %f5 = cnn.matmul %flat, %fc1_w, %fc1_b transpose_rhs
      : (tensor<1x400xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<1x120xf32>
  %a5 = cnn.activation relu %f5 : tensor<1x120xf32>
  %f6 = cnn.matmul %a5, %fc2_w, %fc2_b transpose_rhs
      : (tensor<1x120xf32>, tensor<84x120xf32>, tensor<84xf32>) -> tensor<1x84xf32>
  %a6 = cnn.activation relu %f6 : tensor<1x84xf32>
  %logits = cnn.matmul %a6, %fc3_w, %fc3_b transpose_rhs
      : (tensor<1x84xf32>, tensor<10x84xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %logits : tensor<1x10xf32>
}
