"""Education Management Cockpit: provincial education indicators, crises and policies for a ministry's decision room."""
