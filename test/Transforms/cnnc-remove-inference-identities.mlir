// RUN: cnnc-opt %s --cnnc-remove-inference-identities | FileCheck %s

// CHECK-LABEL: func.func @dropout
// CHECK-NOT:     cnn.dropout
// CHECK:         %[[R:.*]] = cnn.activation relu %arg0
// CHECK:         return %[[R]]
func.func @dropout(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %d = cnn.dropout %x {ratio = 0.5 : f32} : tensor<2x8xf32>
  %r = cnn.activation relu %d : tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}
