namespace Pacer.Simulator;

/// <summary>What the chat endpoints need from a request.</summary>
/// <param name="Model">The model asked for, echoed back.</param>
/// <param name="PromptTokens">Characters of every message (and system prompt) ÷ 4, rounded up.</param>
/// <param name="MaxTokens">The most tokens the answer may have.</param>
internal sealed record PromptRequest(string Model, long PromptTokens, int MaxTokens)
{
    /// <summary>Tokens charged against the token limit: the prompt plus all it may produce, as providers reserve.</summary>
    public long Cost => PromptTokens + MaxTokens;

    /// <summary>Tokens of the simulated answer: a short reply, cut at <see cref="MaxTokens"/>.</summary>
    public int CompletionTokens => Math.Min(MaxTokens, PromptConstants.ReplyTokens);

    /// <summary>Whether the answer was cut short by <see cref="MaxTokens"/>.</summary>
    public bool Truncated => MaxTokens < PromptConstants.ReplyTokens;

    /// <summary>The answer text, four characters per token.</summary>
    public string ReplyText => PromptConstants.Reply[..(CompletionTokens * PromptConstants.CharactersPerToken)];
}
