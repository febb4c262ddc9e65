namespace Pacer.Simulator;

/// <summary>The simulated APIs. Hidden limits, faults and statistics are kept per route.</summary>
public enum SimulatorRoute
{
    /// <summary><c>POST /v1/chat/completions</c>, shaped like OpenAI's chat completions.</summary>
    Chat,

    /// <summary><c>POST /v1/messages</c>, shaped like Anthropic's messages.</summary>
    Messages,

    /// <summary>The paginated listing under <c>/api</c>: projects, suites and cases.</summary>
    Listing,

    /// <summary><c>POST /echo</c>, which returns the request body.</summary>
    Echo,
}
