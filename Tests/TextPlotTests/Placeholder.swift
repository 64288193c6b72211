// Placeholder so the test target builds; replaced by the issue that fills TextPlot.
