// RUN: cnnc-opt %s --cnnc-convert-cnn-to-linalg --split-input-file | FileCheck %s

// Activations: one linalg.generic whose body is the scalar function.
// CHECK-LABEL: func.func @relu
// CHECK:         %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK:           %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           arith.maximumf %{{.*}}, %[[Z]] : f32
// CHECK-NOT:     cnn.
func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.activation relu %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @clip_leaky
// CHECK:         arith.maximumf
// CHECK:         arith.minimumf
// CHECK:         arith.cmpf olt
// CHECK:         arith.mulf
// CHECK:         arith.select
func.func @clip_leaky(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = cnn.activation clip %x {alpha = 0.0 : f32, beta = 6.0 : f32} : tensor<4xf32>
  %1 = cnn.activation leaky_relu %0 {alpha = 0.1 : f32} : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @sigmoid_softplus
// CHECK:         arith.negf
// CHECK:         math.exp
// CHECK:         arith.addf
// CHECK:         arith.divf
// CHECK:         math.absf
// CHECK:         math.log1p
func.func @sigmoid_softplus(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = cnn.activation sigmoid %x : tensor<4xf32>
  %1 = cnn.activation softplus %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Broadcasting: size-1 and missing leading dimensions read index 0.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK-LABEL: func.func @broadcast
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK:           arith.subf
// CHECK:         linalg.generic {indexing_maps = [#[[COL]], #[[ID]], #[[ID]]]
// CHECK:           arith.addf
func.func @broadcast(%x: tensor<2x1x4xf32>, %y: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %0 = cnn.constant dense<1.0> : tensor<2x3x4xf32>
  %1 = cnn.binary sub %x, %y : (tensor<2x1x4xf32>, tensor<4xf32>) -> tensor<2x1x4xf32>
  %2 = cnn.binary add %1, %0 : (tensor<2x1x4xf32>, tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %2 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_pow
// CHECK:         math.sqrt
// CHECK:         math.powf
func.func @unary_pow(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = cnn.unary sqrt %x : tensor<4xf32>
  %1 = cnn.binary pow %0, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Constants stay constants, dense resources included.
// CHECK-LABEL: func.func @constant
// CHECK:         %[[C:.*]] = arith.constant dense_resource<w> : tensor<3xf32>
// CHECK:         return %[[C]]
func.func @constant() -> tensor<3xf32> {
  %0 = cnn.constant dense_resource<w> : tensor<3xf32>
  return %0 : tensor<3xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F0000004000004040"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @prelu
// CHECK:         linalg.generic {{.*}} ins(%arg0, %arg1 : tensor<2x3x4xf32>, tensor<3x1xf32>)
// CHECK:           arith.cmpf olt
// CHECK:           arith.mulf
// CHECK:           arith.select
func.func @prelu(%x: tensor<2x3x4xf32>, %s: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = cnn.prelu %x, %s : tensor<2x3x4xf32>, tensor<3x1xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Inference: dropout is the identity.
// CHECK-LABEL: func.func @dropout
// CHECK-NOT:     linalg
// CHECK:         return %arg0
func.func @dropout(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = cnn.dropout %x {ratio = 2.5e-01 : f32} : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
