using ReleaseGates.Cli;

return await CommandLine.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable, errorIsTerminal: !Console.IsErrorRedirected);
