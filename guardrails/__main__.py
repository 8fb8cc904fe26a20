from guardrails.cli.main import main

main()
