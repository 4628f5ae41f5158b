"""Networks the tests build that torchvision does not have."""
import torch


class LeNet5(torch.nn.Module):
    """LeNet-5 for 1x28x28 images, as in the tutorial: two 5x5 convs with
    max pooling, three linear layers, ReLU."""

    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 6, 5, padding=2), torch.nn.ReLU(),
            torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2))
        self.classifier = torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(400, 120), torch.nn.ReLU(),
            torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class FashionNet(torch.nn.Module):
    """The network `cnnc train` is measured with on Fashion-MNIST: two 3x3
    convolutions with BatchNorm, ReLU and 2x2 max pooling (32, 64 channels),
    then a 128-wide linear layer with dropout and the 10-class classifier."""

    def __init__(self, dropout=0.5):
        super().__init__()
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.BatchNorm2d(32),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2),
            torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.BatchNorm2d(64),
            torch.nn.ReLU(), torch.nn.MaxPool2d(2))
        self.classifier = torch.nn.Sequential(
            torch.nn.Flatten(), torch.nn.Linear(64 * 7 * 7, 128),
            torch.nn.ReLU(), torch.nn.Dropout(dropout),
            torch.nn.Linear(128, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


class SimpleCNN(torch.nn.Module):
    """The tutorial's SimpleCNN for 3x224x224 images, as cnnc defines it (the
    tutorial's own code is not part of this repository): three blocks of 3x3
    convolution, BatchNorm, ReLU and 2x2 max pooling (32, 64, 128 channels),
    global average pooling, dropout and a linear classifier (10 classes)."""

    def __init__(self, classes=10):
        super().__init__()
        layers = []
        channels = 3
        for width in (32, 64, 128):
            layers += [torch.nn.Conv2d(channels, width, 3, padding=1),
                       torch.nn.BatchNorm2d(width), torch.nn.ReLU(),
                       torch.nn.MaxPool2d(2)]
            channels = width
        self.features = torch.nn.Sequential(*layers)
        self.classifier = torch.nn.Sequential(
            torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
            torch.nn.Dropout(0.5), torch.nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(self.features(x))
