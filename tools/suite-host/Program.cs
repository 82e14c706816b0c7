using Suite.Host.Hosting;

// `dotnet run --project tools/suite-host -- --help` lists the flags; tools/suite-host/README.md explains them.
return await SuiteCommand.RunAsync(args, Console.Out, Console.Error);
