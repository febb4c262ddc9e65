namespace Pacer.Simulator;

/// <summary>What the command line asked for: options to run with, or the usage text.</summary>
internal sealed record CommandLineResult(SimulatorOptions Options, bool ShowHelp);
