// RUN: cnnc-opt %s --cnnc-outline-parallel-loops --split-input-file | FileCheck %s

// 8x56 >= 64 chunks: the two leading dimensions are linearized into the
// chunk range, the third stays an inner loop. Constants are cloned into the
// chunk function; buffers are passed.
// CHECK-LABEL: func.func private @big_parallel_0
// CHECK-SAME:    (%[[BEGIN:.*]]: index, %[[END:.*]]: index, %[[IN:.*]]: memref<8x56x56xf32>, %[[OUT:.*]]: memref<8x56x56xf32>)
// CHECK-SAME:    attributes {cnnc.parallel_body}
// CHECK:         %[[TWO:.*]] = arith.constant 2.0
// CHECK:         scf.for %[[N:.*]] = %[[BEGIN]] to %[[END]]
// CHECK:           arith.remui %[[N]]
// CHECK:           arith.divui %[[N]]
// CHECK:           scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (%{{.*}})
// CHECK:             memref.load %[[IN]]
// CHECK:             arith.mulf %{{.*}}, %[[TWO]]
// CHECK:             memref.store {{.*}}, %[[OUT]]
// CHECK-LABEL: func.func @big(
// CHECK:         %[[C448:.*]] = arith.constant 448 : index
// CHECK:         call @big_parallel_0(%{{.*}}, %[[C448]], %arg0, %arg1)
// CHECK-NOT:     scf.parallel
func.func @big(%in: memref<8x56x56xf32>, %out: memref<8x56x56xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c56 = arith.constant 56 : index
  %two = arith.constant 2.0 : f32
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c8, %c56, %c56) step (%c1, %c1, %c1) {
    %v = memref.load %in[%i, %j, %k] : memref<8x56x56xf32>
    %w = arith.mulf %v, %two : f32
    memref.store %w, %out[%i, %j, %k] : memref<8x56x56xf32>
    scf.reduce
  }
  return
}

// -----

// Too little work for threads: the loop stays.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     call
// CHECK:         scf.parallel
func.func @small(%in: memref<4xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %in[%i] : memref<4xf32>
    memref.store %v, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// Bounds not known at compile time: the loop stays.
// CHECK-LABEL: func.func @dynamic
// CHECK-NOT:     call
// CHECK:         scf.parallel
func.func @dynamic(%in: memref<?xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %v = memref.load %in[%i] : memref<?xf32>
    memref.store %v, %out[%i] : memref<?xf32>
    scf.reduce
  }
  return
}
