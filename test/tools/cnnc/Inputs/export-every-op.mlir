// Every op kind that `cnnc export` writes, as a frontend writes them
// (channels first, no fused epilogues), and that cnnc imports back: see
// export.test. Generated weights; locations name the nodes.
func.func @every_op(%x: tensor<2x3x8x8xf32> {cnn.name = "image"},
                    %seq: tensor<2x4x5xf32> {cnn.name = "sequence"})
    -> (tensor<2x5xf32> {cnn.name = "probs"},
        tensor<2x5xf32> {cnn.name = "log_probs"},
        tensor<2x40x4x4xf32> {cnn.name = "activations"},
        tensor<2x42xf32> {cnn.name = "elementwise"},
        tensor<2x2x1x1xf32> {cnn.name = "sum"},
        tensor<2x6x6xf32> {cnn.name = "mean"},
        tensor<2x1x5x1xf32> {cnn.name = "max"},
        tensor<2x3x7x4xf32> {cnn.name = "reversed"},
        tensor<2x2x6xf32> {cnn.name = "reshaped"},
        tensor<8x3xf32> {cnn.name = "folded"},
        tensor<2x5x3xf32> {cnn.name = "batched"},
        tensor<2x6x2xf32> {cnn.name = "conv1d"},
        tensor<2x5xf32>,
        tensor<2x4x5xf32> {cnn.name = "sequence_copy"}) {
  // Convolutions, batch norm, pools.
  %w1 = cnn.constant dense<[[[[0.2502, 0.7944, 0.5514], [-0.5496, -0.3997, 0.7471], [-0.9895, 0.6425, 0.5941]], [[-0.06413, -0.3939, -0.4431], [-0.4903, -0.1098, 0.009097], [0.107, 0.991, 0.5853]], [[0.2444, 0.9779, -0.5694], [-0.6796, 0.2251, -0.9121], [-0.9286, 0.02978, -0.06759]]], [[[0.8343, 0.2585, 0.02824], [-0.006253, -0.505, -0.9764], [-0.6152, 0.3841, -0.5988]], [[-0.2609, -0.9925, 0.6601], [-0.6911, -0.4648, 0.7607], [0.01958, 0.6943, 0.2794]], [[0.4835, -0.817, 0.08229], [0.01554, 0.7427, -0.2775], [0.1964, -0.8815, -0.2247]]], [[[-0.3539, -0.6996, 0.6327], [-0.2411, 0.9575, 0.18], [0.2101, 0.276, 0.3529]], [[-0.6984, -0.1194, -0.5209], [-0.195, -0.8066, 0.9357], [-0.57, 0.3435, -0.3992]], [[0.7482, 0.3244, -0.7368], [0.6901, 0.8899, 0.8078], [0.1394, -0.7091, -0.6151]]], [[[0.8558, 0.1047, -0.6389], [0.7681, 0.2831, 0.1394], [-0.2474, -0.1781, -0.521]], [[-0.9239, 0.7524, -0.06454], [0.09527, -0.3557, 0.5026], [-0.9496, -0.2556, -0.9393]], [[-0.7542, 0.9343, 0.3155], [-0.1436, 0.04748, 0.7456], [-0.3116, 0.1806, 0.3674]]]]> : tensor<4x3x3x3xf32> loc("conv1.weight")
  %b1 = cnn.constant dense<[-0.2892, 0.0382, 0.5305, 0.8184]> : tensor<4xf32> loc("conv1.bias")
  %c1 = cnn.conv %x, %w1, %b1 strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1] groups 1
      : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32> loc("conv1")
  %gamma = cnn.constant dense<[-0.6979, 0.8668, -0.9896, 0.506]> : tensor<4xf32> loc("bn1.weight")
  %beta = cnn.constant dense<[0.6211, -0.7265, -0.1622, 0.6305]> : tensor<4xf32> loc("bn1.bias")
  %mean = cnn.constant dense<[-0.9715, 0.2569, 0.586, 0.02601]> : tensor<4xf32> loc("bn1.running_mean")
  %var = cnn.constant dense<[0.7807, 0.3811, 0.3588, 0.4905]> : tensor<4xf32> loc("bn1.running_var")
  %bn = cnn.batch_norm %c1, %gamma, %beta, %mean, %var {epsilon = 1.0e-03 : f32}
      : tensor<2x4x8x8xf32>, tensor<4xf32> loc("bn1")
  %relu = cnn.activation relu %bn : tensor<2x4x8x8xf32> loc("relu1")
  %wd = cnn.constant dense<[[[[-0.6412, -0.3079, 0.8962], [0.1467, -0.3199, -0.457], [0.9041, -0.111, 0.9608]]], [[[0.03105, 0.04233, 0.7931], [0.4855, 0.1613, -0.1467], [0.7564, -0.1767, 0.8455]]], [[[-0.8626, -0.14, 0.03903], [0.9019, -0.498, 0.6121], [0.3529, 0.4342, 0.2592]]], [[[0.9431, -0.3346, -0.2034], [-0.5942, -0.8986, -0.5742], [0.8309, 0.6803, -0.7752]]]]> : tensor<4x1x3x3xf32> loc("depthwise.weight")
  %dw = cnn.conv %relu, %wd strides [1, 1] pads [2, 2, 2, 2] dilations [2, 2] groups 4
      : (tensor<2x4x8x8xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x8x8xf32> loc("depthwise")
  %leaky = cnn.activation leaky_relu %dw {alpha = 1.0e-01 : f32} : tensor<2x4x8x8xf32> loc("leaky")
  %mp = cnn.pool max %leaky kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1]
      : tensor<2x4x8x8xf32> -> tensor<2x4x4x4xf32> loc("maxpool")
  %dmp = cnn.pool max %leaky kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] dilations [2, 2]
      : tensor<2x4x8x8xf32> -> tensor<2x4x6x6xf32> loc("dilated_maxpool")
  %ap = cnn.pool avg %dmp kernel [3, 3] strides [2, 2] pads [1, 1, 1, 1] dilations [1, 1] count_include_pad
      : tensor<2x4x6x6xf32> -> tensor<2x4x3x3xf32> loc("avgpool")
  %cmp = cnn.pool max %dmp kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] ceil_mode
      : tensor<2x4x6x6xf32> -> tensor<2x4x3x3xf32> loc("ceil_maxpool")
  %cap = cnn.pool avg %dmp kernel [3, 3] strides [2, 2] pads [0, 0, 0, 0] dilations [1, 1] ceil_mode
      : tensor<2x4x6x6xf32> -> tensor<2x4x3x3xf32> loc("ceil_avgpool")
  %cat = cnn.concat %ap, %cmp, %cap axis 1
      : (tensor<2x4x3x3xf32>, tensor<2x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<2x12x3x3xf32> loc("concat")
  %gap = cnn.global_pool avg %cat : tensor<2x12x3x3xf32> -> tensor<2x12x1x1xf32> loc("gap")
  %gmp = cnn.global_pool max %cat : tensor<2x12x3x3xf32> -> tensor<2x12x1x1xf32> loc("gmp")
  %gsum = cnn.binary add %gap, %gmp
      : (tensor<2x12x1x1xf32>, tensor<2x12x1x1xf32>) -> tensor<2x12x1x1xf32> loc("pool_sum")
  %flat = cnn.reshape %gsum : tensor<2x12x1x1xf32> -> tensor<2x12xf32> loc("flatten")

  // Matrix products: Gemm with alpha/beta/transB, Gemm with transA.
  %wfc = cnn.constant dense<[[0.04151, -0.008321, 0.03787, 0.06371, -0.07734, 0.1845, -0.01366, 0.05124, 0.05409, -0.1264, -0.1753, -0.03539], [0.1056, 0.1261, 0.092, -0.1547, 0.1653, 0.1208, 0.1511, 0.009322, 0.1663, -0.1813, -0.1879, -0.1919], [-0.09889, -0.1006, -0.125, 0.02682, -0.1844, 0.03616, -0.1336, 0.07115, -0.1916, -0.07577, 0.1753, 0.01536], [0.1246, 0.06321, 0.0443, -0.1235, 0.02976, -0.1841, 0.1207, 0.184, 0.1416, -0.1797, -0.06454, -0.0728], [-0.1549, 0.05064, 0.119, -0.07451, 0.1451, 0.1189, -0.1483, 0.1067, 0.153, -0.1211, 0.02946, 0.0555], [0.04373, -0.1615, 0.06448, 0.05278, 0.1296, 0.1214, -0.06913, 0.08882, 0.1469, 0.1572, -0.1354, -0.1893]]> : tensor<6x12xf32> loc("fc1.weight")
  %bfc = cnn.constant dense<[0.3016, -0.5706, 0.1274, 0.8896, -0.2414, -0.4945]> : tensor<6xf32> loc("fc1.bias")
  %fc1 = cnn.matmul %flat, %wfc, %bfc transpose_rhs {alpha = 5.0e-01 : f32, beta = 2.0 : f32}
      : (tensor<2x12xf32>, tensor<6x12xf32>, tensor<6xf32>) -> tensor<2x6xf32> loc("fc1")
  %fc1t = cnn.transpose %fc1 permutation [1, 0] : tensor<2x6xf32> -> tensor<6x2xf32> loc("fc1_t")
  %w2 = cnn.constant dense<[[-0.08698, 0.3145, -0.7978, -0.2388, -0.7326], [0.3249, 0.6611, -0.2463, -0.2566, 0.07904], [-0.5699, -0.5052, -0.3403, -0.08515, -0.8369], [0.5055, 0.1581, -0.4006, -0.8449, 0.5264], [-0.7378, -0.7336, -0.7386, -0.8375, 0.8128], [-0.4615, -0.3872, 0.6656, 0.2398, -0.6257]]> : tensor<6x5xf32> loc("fc2.weight")
  %fc2 = cnn.matmul %fc1t, %w2 transpose_lhs
      : (tensor<6x2xf32>, tensor<6x5xf32>) -> tensor<2x5xf32> loc("fc2")
  %probs = cnn.softmax %fc2 axis 1 : tensor<2x5xf32> loc("softmax")
  %logp = cnn.log_softmax %fc2 axis 1 : tensor<2x5xf32> loc("log_softmax")

  // Activations, each on the max pool, concatenated; then dropout.
  %a1 = cnn.activation clip %mp {alpha = -5.0e-01 : f32, beta = 5.0e-01 : f32} : tensor<2x4x4x4xf32> loc("clip")
  %a2 = cnn.activation sigmoid %mp : tensor<2x4x4x4xf32> loc("sigmoid")
  %a3 = cnn.activation tanh %mp : tensor<2x4x4x4xf32> loc("tanh")
  %a4 = cnn.activation hard_sigmoid %mp {alpha = 2.0e-01 : f32, beta = 5.0e-01 : f32} : tensor<2x4x4x4xf32> loc("hard_sigmoid")
  %a5 = cnn.activation hard_swish %mp : tensor<2x4x4x4xf32> loc("hard_swish")
  %a6 = cnn.activation elu %mp {alpha = 1.5 : f32} : tensor<2x4x4x4xf32> loc("elu")
  %a7 = cnn.activation selu %mp {alpha = 1.67326319 : f32, beta = 1.05070102 : f32} : tensor<2x4x4x4xf32> loc("selu")
  %a8 = cnn.activation softplus %mp : tensor<2x4x4x4xf32> loc("softplus")
  %a9 = cnn.activation silu %mp : tensor<2x4x4x4xf32> loc("silu")
  %a10 = cnn.activation gelu_tanh %mp : tensor<2x4x4x4xf32> loc("gelu_tanh")
  %acts = cnn.concat %a1, %a2, %a3, %a4, %a5, %a6, %a7, %a8, %a9, %a10 axis 1
      : (tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>,
         tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>,
         tensor<2x4x4x4xf32>, tensor<2x4x4x4xf32>) -> tensor<2x40x4x4xf32> loc("activations")
  %drop = cnn.dropout %acts {ratio = 2.5e-01 : f32} : tensor<2x40x4x4xf32> loc("dropout")

  // Unary and binary elementwise ops on fc1.
  %one = cnn.constant dense<1.0> : tensor<1xf32> loc("one")
  %exponent = cnn.constant dense<1.5> : tensor<f32> loc("exponent")
  %abs = cnn.unary abs %fc1 : tensor<2x6xf32> loc("abs")
  %neg = cnn.unary neg %fc1 : tensor<2x6xf32> loc("neg")
  %exp = cnn.unary exp %neg : tensor<2x6xf32> loc("exp")
  %pos = cnn.binary add %abs, %one : (tensor<2x6xf32>, tensor<1xf32>) -> tensor<2x6xf32> loc("add")
  %log = cnn.unary log %pos : tensor<2x6xf32> loc("log")
  %sqrt = cnn.unary sqrt %abs : tensor<2x6xf32> loc("sqrt")
  %rec = cnn.unary reciprocal %pos : tensor<2x6xf32> loc("reciprocal")
  %sub = cnn.binary sub %fc1, %exp : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32> loc("sub")
  %mul = cnn.binary mul %fc1, %log : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32> loc("mul")
  %div = cnn.binary div %fc1, %pos : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32> loc("div")
  %max = cnn.binary max %fc1, %sqrt : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32> loc("max")
  %min = cnn.binary min %fc1, %rec : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x6xf32> loc("min")
  %pow = cnn.binary pow %pos, %exponent : (tensor<2x6xf32>, tensor<f32>) -> tensor<2x6xf32> loc("pow")
  %elementwise = cnn.concat %sub, %mul, %div, %max, %min, %pow, %rec axis 1
      : (tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>, tensor<2x6xf32>,
         tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<2x42xf32> loc("elementwise")

  // Pads, slices, reductions, a transpose.
  %pc = cnn.pad constant %mp pads [0, 0, 1, 2, 0, 0, 2, 1] {value = 5.0e-01 : f32}
      : tensor<2x4x4x4xf32> -> tensor<2x4x7x7xf32> loc("pad_constant")
  %pr = cnn.pad reflect %mp pads [0, 0, 1, 1, 0, 0, 1, 1]
      : tensor<2x4x4x4xf32> -> tensor<2x4x6x6xf32> loc("pad_reflect")
  %pe = cnn.pad edge %mp pads [0, 0, 0, 2, 0, 0, 1, 0]
      : tensor<2x4x4x4xf32> -> tensor<2x4x5x6xf32> loc("pad_edge")
  %s1 = cnn.slice %pc offsets [0, 1, 1, 0] sizes [2, 2, 3, 4] strides [1, 2, 2, 1]
      : tensor<2x4x7x7xf32> -> tensor<2x2x3x4xf32> loc("slice")
  %s2 = cnn.slice %pc offsets [0, 3, 6, 0] sizes [2, 4, 3, 7] strides [1, -1, -2, 1]
      : tensor<2x4x7x7xf32> -> tensor<2x4x3x7xf32> loc("slice_reversed")
  %rsum = cnn.reduce sum %s1 axes [2, 3] keep_dims : tensor<2x2x3x4xf32> -> tensor<2x2x1x1xf32> loc("reduce_sum")
  %rmean = cnn.reduce mean %pr axes [1] : tensor<2x4x6x6xf32> -> tensor<2x6x6xf32> loc("reduce_mean")
  %rmax = cnn.reduce max %pe axes [1, 3] keep_dims : tensor<2x4x5x6xf32> -> tensor<2x1x5x1xf32> loc("reduce_max")
  %rev = cnn.transpose %s2 permutation [0, 2, 3, 1] : tensor<2x4x3x7xf32> -> tensor<2x3x7x4xf32> loc("to_channels_last")

  // Batched matrix products and reshapes on the sequence; a 1-D conv and pool.
  %wb = cnn.constant dense<[[[-0.1304, 0.7678, -0.2493], [0.4218, -0.8064, 0.4546], [0.5529, 0.6515, 0.3484], [-0.2585, -0.8716, 0.03755], [0.5149, -0.6183, -0.4675]], [[0.07224, 0.4967, 0.7932], [-0.7485, -0.6315, 0.5991], [0.289, 0.4419, 0.9935], [0.8784, 0.6861, 0.5542], [-0.21, 0.2825, -0.6311]]]> : tensor<2x5x3xf32> loc("bmm.weight")
  %bmm = cnn.matmul %seq, %wb : (tensor<2x4x5xf32>, tensor<2x5x3xf32>) -> tensor<2x4x3xf32> loc("bmm")
  %reshaped = cnn.reshape %bmm : tensor<2x4x3xf32> -> tensor<2x2x6xf32> loc("reshape")
  %folded = cnn.reshape %bmm : tensor<2x4x3xf32> -> tensor<8x3xf32> loc("fold_batch")
  %wt = cnn.constant dense<[[[0.519, 0.5154, 0.4426, -0.1104], [-0.2436, -0.1605, -0.9333, 0.6886], [0.08474, -0.225, 0.09606, 0.4433]], [[-0.2371, 0.6613, 0.8389, -0.2251], [-0.7244, 0.5207, 0.9859, -0.704], [0.4254, 0.6506, 0.8411, -0.7532]]]> : tensor<2x3x4xf32> loc("bmm_t.weight")
  %bt = cnn.constant dense<[-0.8164, 0.9757, -0.7665]> : tensor<3xf32> loc("bmm_t.bias")
  %batched = cnn.matmul %seq, %wt, %bt transpose_lhs transpose_rhs {alpha = 2.0 : f32, beta = 5.0e-01 : f32}
      : (tensor<2x4x5xf32>, tensor<2x3x4xf32>, tensor<3xf32>) -> tensor<2x5x3xf32> loc("bmm_t")
  %wc = cnn.constant dense<[[[-0.6464, 0.1499, -0.1075], [0.5008, -0.6189, 0.8289], [-0.5656, 0.5382, -0.8648], [-0.05319, -0.9349, -0.3724]], [[-0.3755, 0.4395, -0.08997], [-0.8865, 0.9907, 0.7774], [0.8326, -0.5068, -0.2118], [-0.5456, -0.7502, -0.934]], [[0.006673, -0.7537, -0.6474], [0.721, -0.03151, -0.6326], [0.3397, -0.4683, 0.05387], [-0.4341, 0.03232, 0.2571]], [[0.07242, -0.2088, 0.5816], [0.7469, -0.6413, -0.7274], [-0.7736, 0.9592, 0.8832], [-0.5387, 0.9398, -0.5844]], [[0.01295, -0.00523, 0.8299], [-0.9189, -0.3693, 0.1999], [-0.8672, -0.5269, -0.06987], [0.7617, 0.5219, 0.658]], [[0.5221, 0.4154, 0.6994], [0.363, 0.4714, -0.3967], [-0.6647, 0.513, -0.6683], [0.8389, 0.1933, -0.3411]]]> : tensor<6x4x3xf32> loc("conv1d.weight")
  %bc = cnn.constant dense<[0.8733, -0.6897, 0.02893, -0.8169, 0.9309, 0.1508]> : tensor<6xf32> loc("conv1d.bias")
  %c1d = cnn.conv %seq, %wc, %bc strides [1] pads [1, 1] dilations [1] groups 1
      : (tensor<2x4x5xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<2x6x5xf32> loc("conv1d")
  %p1d = cnn.pool max %c1d kernel [2] strides [2] pads [0, 0] dilations [1]
      : tensor<2x6x5xf32> -> tensor<2x6x2xf32> loc("pool1d")

  return %probs, %logp, %drop, %elementwise, %rsum, %rmean, %rmax, %rev, %reshaped, %folded,
         %batched, %p1d, %probs, %seq
      : tensor<2x5xf32>, tensor<2x5xf32>, tensor<2x40x4x4xf32>, tensor<2x42xf32>,
        tensor<2x2x1x1xf32>, tensor<2x6x6xf32>, tensor<2x1x5x1xf32>, tensor<2x3x7x4xf32>,
        tensor<2x2x6xf32>, tensor<8x3xf32>, tensor<2x5x3xf32>, tensor<2x6x2xf32>,
        tensor<2x5xf32>, tensor<2x4x5xf32>
}
