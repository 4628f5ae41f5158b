// What `cnnc export` writes in inference form, and cnnc cannot import back
// (ONNX has no GELU before opset 20: the export is a formula with Erf):
// batch_norm_train whose statistics nobody reads is an inference
// BatchNormalization on the running statistics; gelu is its formula. A
// weight held as a dense resource becomes an initializer too.
func.func @inference_forms(%x: tensor<2x4x3x3xf32> {cnn.name = "x"})
    -> (tensor<2x4x3x3xf32> {cnn.name = "y"}) {
  %gamma = cnn.constant dense_resource<bn_scale> : tensor<4xf32> loc("bn.weight")
  %beta = cnn.constant dense<[-0.4059, -0.06687, -0.02095, -0.3403]> : tensor<4xf32> loc("bn.bias")
  %mean = cnn.constant dense<[0.2346, -0.3863, -0.1088, 0.01674]> : tensor<4xf32> loc("bn.running_mean")
  %var = cnn.constant dense<[1.146, 1.38, 1.607, 1.934]> : tensor<4xf32> loc("bn.running_var")
  %y, %new_mean, %new_var, %batch_mean, %batch_inv_std = cnn.batch_norm_train %x, %gamma, %beta, %mean, %var
      {epsilon = 1.0e-05 : f32, momentum = 0.9 : f32} : tensor<2x4x3x3xf32>, tensor<4xf32> loc("bn")
  %g = cnn.activation gelu %y : tensor<2x4x3x3xf32> loc("gelu")
  return %g : tensor<2x4x3x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      bn_scale: "0x040000001BED153F9D9F3C3F2990A63F49848A3F"
    }
  }
#-}
