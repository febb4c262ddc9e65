using GraphQL;

namespace Pacer.Server.Graph;

/// <summary>What <c>cancelJob</c> answers: the job's state afterwards.</summary>
[Name("JobState")]
internal sealed record JobCancelled(long Index, string State);
