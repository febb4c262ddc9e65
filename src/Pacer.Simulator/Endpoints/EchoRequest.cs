namespace Pacer.Simulator;

/// <summary>The body <c>POST /echo</c> sends back, with its content type.</summary>
internal sealed record EchoRequest(byte[] Body, string? ContentType);
