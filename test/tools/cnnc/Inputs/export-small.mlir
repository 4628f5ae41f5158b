// A small CNN in the cnn dialect, as a frontend writes it, for export.test.
// Ops without a name location are named after their position.
func.func @small(%image: tensor<2x2x6x6xf32> {cnn.name = "image"})
    -> (tensor<2x4xf32> {cnn.name = "probs"}, tensor<2x4xf32>) {
  %w = cnn.constant dense<[[[[0.2502, 0.7944, 0.5514], [-0.5496, -0.3997, 0.7471], [-0.9895, 0.6425, 0.5941]], [[-0.06413, -0.3939, -0.4431], [-0.4903, -0.1098, 0.009097], [0.107, 0.991, 0.5853]]], [[[0.2444, 0.9779, -0.5694], [-0.6796, 0.2251, -0.9121], [-0.9286, 0.02978, -0.06759]], [[0.8343, 0.2585, 0.02824], [-0.006253, -0.505, -0.9764], [-0.6152, 0.3841, -0.5988]]], [[[-0.2609, -0.9925, 0.6601], [-0.6911, -0.4648, 0.7607], [0.01958, 0.6943, 0.2794]], [[0.4835, -0.817, 0.08229], [0.01554, 0.7427, -0.2775], [0.1964, -0.8815, -0.2247]]]]> : tensor<3x2x3x3xf32> loc("conv.weight")
  %b = cnn.constant dense<[-0.3539, -0.6996, 0.6327]> : tensor<3xf32> loc("conv.bias")
  %gamma = cnn.constant dense<[0.5036, 0.983, 0.672]> : tensor<3xf32> loc("bn.weight")
  %beta = cnn.constant dense<[0.2101, 0.276, 0.3529]> : tensor<3xf32> loc("bn.bias")
  %mean = cnn.constant dense<[-0.6984, -0.1194, -0.5209]> : tensor<3xf32> loc("bn.running_mean")
  %var = cnn.constant dense<[0.522, 0.2774, 0.9743]> : tensor<3xf32> loc("bn.running_var")
  %fw = cnn.constant dense<[[-0.114, 0.06871, -0.07983, 0.1496, 0.06489, -0.1474, 0.138, 0.178, 0.1616, 0.02789, -0.1418, -0.123, 0.1712, 0.02093, -0.1278, 0.1536, 0.05663, 0.02788, -0.04948, -0.03562, -0.1042, -0.1848, 0.1505, -0.01291, 0.01905, -0.07113, 0.1005], [-0.1899, -0.05113, -0.1879, -0.1508, 0.1869, 0.0631, -0.02871, 0.009496, 0.1491, -0.06232, 0.03612, 0.07347, -0.05783, 0.007639, 0.1061, 0.1637, -0.1396, 0.1734, -0.1979, 0.1012, 0.1242, -0.1453, -0.03244, 0.1261, -0.1943, 0.05138, 0.1172], [0.005201, 0.09034, -0.1094, -0.1206, -0.05475, -0.1282, -0.06158, 0.1792, 0.02933, -0.06397, -0.09139, 0.1808, -0.02221, 0.1922, 0.006209, 0.008466, 0.1586, 0.09711, 0.03226, -0.02934, 0.1513, -0.03534, 0.1691, -0.1725, -0.028, 0.007806, 0.1804], [-0.0996, 0.1224, 0.07059, 0.08683, 0.05185, 0.1886, -0.06693, -0.04069, -0.1188, -0.1797, -0.1148, 0.1662, 0.1361, -0.155, 0.04151, -0.008321, 0.03787, 0.06371, -0.07734, 0.1845, -0.01366, 0.05124, 0.05409, -0.1264, -0.1753, -0.03539, 0.1056]]> : tensor<4x27xf32>
  %fb = cnn.constant dense<[0.6304, 0.46, -0.7736, 0.8267]> : tensor<4xf32>
  %conv = cnn.conv %image, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
      : (tensor<2x2x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<2x3x6x6xf32> loc("conv")
  %bn = cnn.batch_norm %conv, %gamma, %beta, %mean, %var {epsilon = 1.0e-05 : f32}
      : tensor<2x3x6x6xf32>, tensor<3xf32> loc("bn")
  %relu = cnn.activation relu %bn : tensor<2x3x6x6xf32>
  %pool = cnn.pool max %relu kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1]
      : tensor<2x3x6x6xf32> -> tensor<2x3x3x3xf32>
  %flat = cnn.reshape %pool : tensor<2x3x3x3xf32> -> tensor<2x27xf32> loc("flatten")
  %logits = cnn.matmul %flat, %fw, %fb transpose_rhs
      : (tensor<2x27xf32>, tensor<4x27xf32>, tensor<4xf32>) -> tensor<2x4xf32> loc("fc")
  %probs = cnn.softmax %logits axis 1 : tensor<2x4xf32> loc("softmax")
  return %probs, %logits : tensor<2x4xf32>, tensor<2x4xf32>
}
