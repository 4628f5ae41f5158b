func.func @f(%x: tensor<2x3xf32>) {
  %0 = cnn.softmax %x axis 2 : tensor<2x3xf32>
  return
}
