namespace Pacer.Http;

/// <summary>Collects every problem in a set of options, so that one exception reports them all.</summary>
internal sealed class OptionsErrors(string prefix)
{
    private List<string>? _errors;

    public void Add(string message) => (_errors ??= []).Add(prefix + message);

    public void ThrowIfAny()
    {
        if (_errors is { Count: > 0 })
        {
            throw new ArgumentException(string.Join(Environment.NewLine, _errors));
        }
    }
}
