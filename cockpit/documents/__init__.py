"""Documents to hand out: Excel workbooks, PowerPoint and PDF briefs, and the PDF machinery with Thai and Lao shaping.

May import the other domain packages, data and the foundation; never Streamlit.
"""
