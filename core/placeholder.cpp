// placeholder until core/ has code
