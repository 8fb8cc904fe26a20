from guardrails.cli import main

main()
