namespace Pacer.Simulator;

/// <summary>Collects every problem in a set of options, so that one exception reports them all.</summary>
internal sealed class OptionsErrors
{
    private List<string>? _errors;

    public bool HasErrors => _errors is { Count: > 0 };

    public IReadOnlyList<string> Messages => _errors ?? [];

    public void Add(string message) => (_errors ??= []).Add(message);

    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, _errors!));
        }
    }
}
