import Course

/// Every lab of the course, in lesson order: what lessons may name in their `lab:` blocks and
/// what `mlcourse run LAB` can build.
///
/// To add a lab: write it under a folder named for its chapter, then add one line below with the
/// panel ids it can show (lessons' `show:` lists are checked against them). The Labs tests check
/// that each entry agrees with the lab it makes and that every lesson validates against this list.
public enum CourseCatalogue {
    public static let labs = LabCatalogue([
        // Prologue
        LabCatalogue.Entry(panelIDs: KnobLab.panelNames) { KnobLab(seed: $0) },
        // Chapter 1: one neuron
        LabCatalogue.Entry(panelIDs: NeuronLab.panelNames) { NeuronLab(seed: $0) },
    ]
    // Chapter 2: the multi-layer perceptron (mlp-curve, mlp-ecg; optimizer-mlp is chapter 3's)
    + ChapterTwoLabs.entries
    // Chapter 3: backpropagation and optimizers (gradcheck, optimizer-race)
    + ChapterThreeLabs.entries
    // Chapter 4: convolutional networks (cnn-ecg, cnn-range)
    + ChapterFourLabs.entries
    // Chapter 5: recurrent networks and LSTM (memory-task, vanishing-gradient)
    + ChapterFiveLabs.entries
    // Chapter 6: transformers (positional-encoding, attention-cost, attention-ends)
    + ChapterSixLabs.entries
    // Chapter 7a: U-Net segmentation (unet-ecg, window-cnn)
    + ChapterSevenSegmentationLabs.entries
    // Chapter 7b-c: graph neural networks and gradient-boosted trees (gnn-leads, boosting)
    + ChapterSevenGraphTreeLabs.entries
    // Chapter 7d: physics-informed networks (pinn-windkessel)
    + ChapterSevenPhysicsLabs.entries
    // Chapter 8: loss functions (loss-explorer, outliers)
    + ChapterEightLabs.entries
    // Chapter 9: learning without labels (kmeans, pca, simclr, vae)
    + ChapterNineUnsupervisedLabs.entries
    // Chapter 9: learning paradigms, reinforcement learning (q-table, ppo, decision-transformer)
    + ChapterNineReinforcementLabs.entries
    // Chapter 10: the map, classification rows on beats-hard (vit-beats)
    + ChapterTenClassificationLabs.entries
    // Chapter 10: the map, the segmentation group's frontier row (swin-unet)
    + ChapterTenSegmentationLabs.entries
    // Chapter 10: the map (map), every row above trained on its group's shared task
    + [MapLab.catalogueEntry])
}

extension CourseCatalogue {
    /// Makes the data sets that several labs share (the simulated beats), so that opening their
    /// pages later costs no simulation. Safe to call from any thread, once or many times.
    public static func prepareSharedData() {
        LabData.prepare()
        ChapterSixLabs.prepareSharedData()
        ChapterFourLabs.prepareData()
        ChapterSevenSegmentationLabs.prepareData()
        ChapterSevenGraphTreeLabs.prepareData()
        ChapterSevenPhysicsLabs.prepareData()
        ChapterNineUnsupervisedLabs.prepareData()
    }
}
