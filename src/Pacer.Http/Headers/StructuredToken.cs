namespace Pacer.Http;

/// <summary>A Token of an HTTP structured field (RFC 9651), kept apart from a String.</summary>
/// <param name="Text">The token's characters.</param>
internal readonly record struct StructuredToken(string Text);
