namespace Pacer.Simulator;

/// <summary>Fixed values of the simulated chat APIs.</summary>
internal static class PromptConstants
{
    /// <summary>Characters per token, the usual estimate for English text.</summary>
    public const int CharactersPerToken = 4;

    /// <summary>Tokens of a full simulated answer.</summary>
    public const int ReplyTokens = 20;

    /// <summary><c>max_tokens</c> assumed when an OpenAI request names none.</summary>
    public const int DefaultMaxTokens = 256;

    /// <summary>The largest <c>max_tokens</c> accepted.</summary>
    public const int MaxMaxTokens = 1_000_000;

    /// <summary>The full simulated answer: exactly <see cref="ReplyTokens"/> × <see cref="CharactersPerToken"/> characters.</summary>
    public const string Reply = "This is a simulated answer from the Pacer provider simulator; no model was run. ";
}
