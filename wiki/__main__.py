from wiki.cli import main

raise SystemExit(main())
